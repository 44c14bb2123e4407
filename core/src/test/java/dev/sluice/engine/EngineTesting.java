package dev.sluice.engine;

import dev.sluice.JobState;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import dev.sluice.store.StoreStats;

import java.time.Duration;

/** Small shared pieces of the engine tests. */
final class EngineTesting {

    /** Long enough for anything these tests wait for on a loaded two-core machine; never reached when they pass. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private EngineTesting() {
    }

    /** Retries without real waiting: 10 ms, 20 ms, 40 ms... and no jitter, so that tests stay fast and exact. */
    static RetryPolicy fastRetries(int maxAttempts) {
        return RetryPolicy.builder()
                .maxAttempts(maxAttempts)
                .initialInterval(Duration.ofMillis(10))
                .jitter(0)
                .build();
    }

    /** A builder whose close gives up waiting for blocked handlers after a second, so a failing test ends fast. */
    static Sluice.Builder engine() {
        return Sluice.builder().drainTimeout(Duration.ofSeconds(1));
    }

    /** Jobs the store holds in any state. */
    static long storedJobs(StoreStats stats) {
        long total = 0;
        for (JobState state : JobState.values()) {
            total += stats.total(state);
        }
        return total;
    }

    /** {@code Thread.isVirtual()} where the JVM has it (Java 21+); false on Java 17. */
    static boolean isVirtual(Thread thread) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (NoSuchMethodException e) {
            return false;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot ask " + thread + " whether it is virtual", e);
        }
    }
}
