package dev.sluice.benchmarks;

import java.util.Arrays;

/**
 * A fixed-size store of latency samples in nanoseconds, with exact percentiles on demand: no HdrHistogram
 * dependency for a few hundred thousand samples per run. Written by one thread at a time (the caller orders
 * writers and the reader through its own hand-off); samples past the capacity are counted and dropped.
 */
final class LatencySamples {

    private final long[] values;
    private int count;
    private long dropped;

    LatencySamples(int capacity) {
        this.values = new long[capacity];
    }

    void record(long nanos) {
        if (count < values.length) {
            values[count++] = nanos;
        } else {
            dropped++;
        }
    }

    void addAll(LatencySamples other) {
        for (int i = 0; i < other.count; i++) {
            record(other.values[i]);
        }
        dropped += other.dropped;
    }

    void clear() {
        count = 0;
        dropped = 0;
    }

    int count() {
        return count;
    }

    /** "n=..., p50=... µs, ..." over the samples held; they are not changed. */
    String summary() {
        if (count == 0) {
            return "no samples";
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return String.format("n=%d%s, p50=%.1f us, p90=%.1f us, p99=%.1f us, p99.9=%.1f us, max=%.1f us",
                count, dropped > 0 ? " (+" + dropped + " dropped)" : "", micros(sorted, 0.50),
                micros(sorted, 0.90), micros(sorted, 0.99), micros(sorted, 0.999), sorted[count - 1] / 1e3);
    }

    /** Nearest-rank percentile, in microseconds. */
    private static double micros(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e3;
    }
}
