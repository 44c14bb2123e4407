package dev.sluice.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The ARGV of one script call, built in order. Strings go as UTF-8, numbers as decimal text. */
final class Args {

    /**
     * The longest duration a script is given (100 years): the times it computes from it stay integers that Lua's
     * doubles hold exactly and that print without an exponent.
     */
    static final long MAX_DURATION_MILLIS = 100L * 365 * 24 * 3600 * 1000;

    private static final byte[] EMPTY = new byte[0];
    private static final byte[] ONE = {'1'};
    private static final byte[] ZERO = {'0'};

    private final List<byte[]> values;

    Args(int expected) {
        values = new ArrayList<>(expected);
    }

    /** "Now" for the script: the store's clock, or empty so that the script reads Redis's TIME. */
    Args now(java.time.Clock clock) {
        return clock == null ? add(EMPTY) : add(clock.millis());
    }

    Args add(String value) {
        values.add(value == null ? EMPTY : value.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    Args add(long value) {
        values.add(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    Args add(byte[] value) {
        values.add(value == null ? EMPTY : value);
        return this;
    }

    Args flag(boolean value) {
        values.add(value ? ONE : ZERO);
        return this;
    }

    byte[][] toArray() {
        return values.toArray(new byte[0][]);
    }
}
