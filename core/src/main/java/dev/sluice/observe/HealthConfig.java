package dev.sluice.observe;

import java.time.Duration;

/**
 * Thresholds of the health checks (and of the alert rules built on them). Immutable; made by
 * {@link #builder()}, whose {@code build()} rejects bad values naming the field. Defaults are the ones
 * listed per builder method.
 */
public final class HealthConfig {

    private static final HealthConfig DEFAULTS = builder().build();

    private final long maxQueueDepth;
    private final Duration maxOldestReadyAge;
    private final double maxErrorRate;
    private final long minAttemptsForErrorRate;
    private final Duration maxAverageProcessing;
    private final double maxHeapUsed;
    private final Duration stuckAfter;

    private HealthConfig(Builder b) {
        this.maxQueueDepth = b.maxQueueDepth;
        this.maxOldestReadyAge = b.maxOldestReadyAge;
        this.maxErrorRate = b.maxErrorRate;
        this.minAttemptsForErrorRate = b.minAttemptsForErrorRate;
        this.maxAverageProcessing = b.maxAverageProcessing;
        this.maxHeapUsed = b.maxHeapUsed;
        this.stuckAfter = b.stuckAfter;
    }

    public static HealthConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public long maxQueueDepth() {
        return maxQueueDepth;
    }

    public Duration maxOldestReadyAge() {
        return maxOldestReadyAge;
    }

    public double maxErrorRate() {
        return maxErrorRate;
    }

    public long minAttemptsForErrorRate() {
        return minAttemptsForErrorRate;
    }

    public Duration maxAverageProcessing() {
        return maxAverageProcessing;
    }

    public double maxHeapUsed() {
        return maxHeapUsed;
    }

    public Duration stuckAfter() {
        return stuckAfter;
    }

    /** Collects thresholds; not thread-safe. */
    public static final class Builder {
        private long maxQueueDepth = 5000;
        private Duration maxOldestReadyAge = Duration.ofMinutes(5);
        private double maxErrorRate = 0.05;
        private long minAttemptsForErrorRate = 20;
        private Duration maxAverageProcessing = Duration.ofSeconds(10);
        private double maxHeapUsed = 0.80;
        private Duration stuckAfter = Duration.ofMinutes(30);

        private Builder() {
        }

        /** READY jobs in one queue above which the queue-depth check fails. Default 5000. */
        public Builder maxQueueDepth(long jobs) {
            this.maxQueueDepth = jobs;
            return this;
        }

        /** Longest a READY job may wait before the oldest-ready check fails. Default 5 minutes. */
        public Builder maxOldestReadyAge(Duration age) {
            this.maxOldestReadyAge = age;
            return this;
        }

        /** Share (0..1) of attempts that fail, over the rate window, above which the check fails. Default 0.05. */
        public Builder maxErrorRate(double ratio) {
            this.maxErrorRate = ratio;
            return this;
        }

        /** Attempts the rate window must hold before the error rate is judged at all. Default 20. */
        public Builder minAttemptsForErrorRate(long attempts) {
            this.minAttemptsForErrorRate = attempts;
            return this;
        }

        /** Average attempt time over the rate window above which the check fails. Default 10 s. */
        public Builder maxAverageProcessing(Duration duration) {
            this.maxAverageProcessing = duration;
            return this;
        }

        /** Share (0..1] of the maximum heap in use above which the check fails. Default 0.80. */
        public Builder maxHeapUsed(double ratio) {
            this.maxHeapUsed = ratio;
            return this;
        }

        /** A job running on this node longer than this counts as stuck. Default 30 minutes. */
        public Builder stuckAfter(Duration duration) {
            this.stuckAfter = duration;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad value */
        public HealthConfig build() {
            if (maxQueueDepth < 0) {
                throw new IllegalArgumentException("maxQueueDepth must be >= 0 but was " + maxQueueDepth);
            }
            Checks.positive("maxOldestReadyAge", maxOldestReadyAge);
            Checks.ratio("maxErrorRate", maxErrorRate);
            if (minAttemptsForErrorRate < 1) {
                throw new IllegalArgumentException("minAttemptsForErrorRate must be >= 1 but was "
                        + minAttemptsForErrorRate);
            }
            Checks.positive("maxAverageProcessing", maxAverageProcessing);
            Checks.ratio("maxHeapUsed", maxHeapUsed);
            Checks.positive("stuckAfter", stuckAfter);
            return new HealthConfig(this);
        }
    }
}
