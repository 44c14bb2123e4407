package dev.sluice.ops;

import java.time.Duration;

/** The duration checks of the operations configs, with messages naming the setting and its value. */
final class Durations {

    private Durations() {
    }

    static void positive(String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be a positive duration but was " + value);
        }
    }

    static void notNegative(String field, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(field + " must not be null or negative but was " + value);
        }
    }

    static void atLeast(String field, Duration value, Duration min) {
        positive(field, value);
        if (value.compareTo(min) < 0) {
            throw new IllegalArgumentException(field + " must be at least " + min + " but was " + value);
        }
    }
}
