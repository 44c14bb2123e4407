package dev.sluice.batch;

/**
 * Batch times in log buckets 5% wide, from 1 µs to about 3 days: fixed memory whatever the number of batches.
 * Used by the coordinating thread only; not thread-safe.
 */
final class LatencyHistogram {

    private static final double GROWTH = 1.05;
    private static final double LOG_GROWTH = Math.log(GROWTH);
    private final long[] counts = new long[500];
    private long total;
    private long sumNanos;

    void record(long nanos) {
        long micros = Math.max(1, nanos / 1000);
        int bucket = (int) Math.min(counts.length - 1, Math.floor(Math.log(micros) / LOG_GROWTH));
        counts[bucket]++;
        total++;
        sumNanos += nanos;
    }

    double meanMillis() {
        return total == 0 ? 0 : sumNanos / 1e6 / total;
    }

    /** The upper bound of the bucket holding the q-quantile, in milliseconds. */
    double quantileMillis(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.pow(GROWTH, i + 1) / 1000.0;
            }
        }
        return Math.pow(GROWTH, counts.length) / 1000.0;
    }
}
