package dev.sluice.benchmarks.sizer;

/** Builds sizing points for tests from the figures that matter, over a 1 s window. */
final class Points {

    private Points() {
    }

    /**
     * A job point: {@code throughput} jobs/s succeeded, each call taking {@code meanMillis} on average, with the
     * given p99 and error rate.
     */
    static SizingPoint job(int concurrency, double throughput, double meanMillis, double p99Millis, double errorRate) {
        return batch(concurrency, 0, throughput, meanMillis, p99Millis, errorRate);
    }

    static SizingPoint job(int concurrency, double throughput, double meanMillis, double p99Millis) {
        return job(concurrency, throughput, meanMillis, p99Millis, 0);
    }

    static SizingPoint batch(int concurrency, int batchSize, double throughput, double meanMillis, double p99Millis,
                             double errorRate) {
        long items = Math.round(throughput);
        long failed = Math.round(items * errorRate / (1 - errorRate));
        long calls = batchSize == 0 ? items + failed : Math.max(1, (items + failed) / batchSize);
        return new SizingPoint(concurrency, batchSize, 1.0, items, failed, calls, throughput, meanMillis * 0.9,
                p99Millis, meanMillis, 10_000_000, 5_000_000);
    }
}
