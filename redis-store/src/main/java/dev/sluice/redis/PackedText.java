package dev.sluice.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * Several text fields in one Redis string, each as {@code <length>:<text>} ({@code -1:} for null), so that any
 * text (separators, new lines) survives; lengths count UTF-16 chars. Used for history entries and node
 * descriptions, which are read whole and never searched by field.
 */
final class PackedText {

    private PackedText() {
    }

    static String pack(Object... fields) {
        StringBuilder out = new StringBuilder(64);
        for (Object field : fields) {
            if (field == null) {
                out.append("-1:");
            } else {
                String text = field.toString();
                out.append(text.length()).append(':').append(text);
            }
        }
        return out.toString();
    }

    /**
     * The fields of a packed string (nulls where packed as null).
     *
     * @throws IllegalStateException naming the text when it is not a packed string
     */
    static List<String> unpack(String text) {
        List<String> fields = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int colon = text.indexOf(':', at);
            if (colon < 0) {
                throw new IllegalStateException("not a packed text: '" + text + "'");
            }
            int length;
            try {
                length = Integer.parseInt(text, at, colon, 10);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("not a packed text: '" + text + "'", e);
            }
            if (length < 0) {
                fields.add(null);
                at = colon + 1;
            } else {
                if (colon + 1 + length > text.length()) {
                    throw new IllegalStateException("not a packed text: '" + text + "'");
                }
                fields.add(text.substring(colon + 1, colon + 1 + length));
                at = colon + 1 + length;
            }
        }
        return fields;
    }
}
