package dev.sluice.fault.harness;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition by asking it again every few milliseconds (the harness observes other processes). */
final class Poll {

    private Poll() {
    }

    /**
     * True once the condition holds; false when it still does not after {@code timeout}. A condition that throws
     * (the store is restarting under the harness's own connections) counts as not holding yet.
     */
    static boolean until(BooleanSupplier condition, Duration timeout, long everyMillis) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(everyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting", e);
            }
        }
        return true;
    }

    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
