package dev.sluice;

import java.util.regex.Pattern;

/** Validation of the identifiers Sluice accepts from users and configuration. */
final class Names {

    static final Pattern QUEUE = Pattern.compile("[a-z0-9_-]{1,64}");
    static final int MAX_TYPE_LENGTH = 128;
    static final int MAX_KEY_LENGTH = 256;

    private Names() {
    }

    static String requireQueue(String queue) {
        if (queue == null || !QUEUE.matcher(queue).matches()) {
            throw new IllegalArgumentException("queue name must match [a-z0-9_-]{1,64} but was "
                    + quote(queue));
        }
        return queue;
    }

    static String requireType(String type) {
        return requireText("job type", type, MAX_TYPE_LENGTH);
    }

    static String requireText(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be null or blank but was " + quote(value));
        }
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(field + " must be at most " + maxLength
                    + " characters but was " + value.length() + ": " + quote(value.substring(0, 40) + "..."));
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(field + " must not contain control characters but was "
                        + quote(value));
            }
        }
        return value;
    }

    static String quote(String value) {
        return value == null ? "null" : "'" + value + "'";
    }
}
