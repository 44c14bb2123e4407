package dev.sluice.redis;

import java.nio.charset.StandardCharsets;

/** Reads the parts of a script's reply: Lettuce gives integers as Long and strings as byte[]. */
final class Replies {

    private Replies() {
    }

    static long toLong(Object reply) {
        if (reply instanceof Long) {
            return (Long) reply;
        }
        if (reply instanceof byte[]) {
            return parseLong((byte[]) reply);
        }
        throw new IllegalStateException("expected a number in the script reply but got " + reply);
    }

    static int toInt(Object reply) {
        return Math.toIntExact(toLong(reply));
    }

    /** A string, or null for a nil or an empty string (the scripts send '' for "none"). */
    static String toStringOrNull(Object reply) {
        if (reply == null) {
            return null;
        }
        if (reply instanceof byte[]) {
            byte[] bytes = (byte[]) reply;
            return bytes.length == 0 ? null : new String(bytes, StandardCharsets.UTF_8);
        }
        return reply.toString();
    }

    static String toText(Object reply) {
        String text = toStringOrNull(reply);
        return text == null ? "" : text;
    }

    static byte[] toBytes(Object reply) {
        return reply instanceof byte[] ? (byte[]) reply : new byte[0];
    }

    /** Parses a decimal integer; tolerates a ".0" suffix and exponent forms a double may be printed in. */
    static long parseLong(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return (long) Double.parseDouble(text);
        }
    }
}
