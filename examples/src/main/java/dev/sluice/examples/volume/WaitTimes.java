package dev.sluice.examples.volume;

import dev.sluice.Priority;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wait times (ready to started) of first attempts, per priority, kept whole so percentiles are exact, and the
 * number of starts per priority. Thread-safe: workers record concurrently into preallocated arrays.
 */
final class WaitTimes {

    private final long[][] nanos;
    private final AtomicInteger[] counts = new AtomicInteger[4];
    private final LongAdder[] starts = new LongAdder[4];

    /** @param capacity the most waits recorded per priority */
    WaitTimes(int capacity) {
        nanos = new long[4][capacity];
        for (int i = 0; i < 4; i++) {
            counts[i] = new AtomicInteger();
            starts[i] = new LongAdder();
        }
    }

    void record(Priority priority, long waitNanos) {
        int w = priority.weight();
        starts[w].increment();
        int slot = counts[w].getAndIncrement();
        if (slot < nanos[w].length) {
            nanos[w][slot] = waitNanos;
        }
    }

    /** First attempts started so far at this priority. */
    long starts(Priority priority) {
        return starts[priority.weight()].sum();
    }

    /**
     * The wait at quantile {@code q} (0..1) in milliseconds; call once recording stopped.
     *
     * @return the wait, or 0 when nothing was recorded
     */
    double quantileMillis(Priority priority, double q) {
        long[] sorted = sorted(priority);
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[index] / 1e6;
    }

    private long[] sorted(Priority priority) {
        int w = priority.weight();
        long[] copy = Arrays.copyOf(nanos[w], Math.min(counts[w].get(), nanos[w].length));
        Arrays.sort(copy);
        return copy;
    }
}
