package dev.sluice.observe;

import java.time.Duration;

/** Validation shared by this package's builders; messages name the field and the value. */
final class Checks {

    private Checks() {
    }

    static void positive(String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be a positive duration but was " + value);
        }
    }

    static void notNegative(String field, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(field + " must not be negative but was " + value);
        }
    }

    /** A ratio in (0, 1]. */
    static void ratio(String field, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " must be in (0, 1] but was " + value);
        }
    }

    static void atLeast(String field, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + " but was " + value);
        }
    }
}
