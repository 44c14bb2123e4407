package dev.sluice.observe;

import java.time.Duration;

/**
 * Adaptive concurrency (AIMD on latency): per queue, the number of jobs started at once moves between
 * {@code minLimit} and the queue's configured concurrency (its maximum). After every {@code window}, the limit
 * grows by one while it is in use and the window's average attempt time stays within {@code latencyTolerance}
 * × the lowest average seen (the no-load latency); it shrinks by {@code backoffRatio} when latency rises past
 * that, when more than {@code maxErrorRate} of the window's attempts failed (a downstream that sheds load fails
 * fast rather than slowly), or when heap use passes {@code maxHeapUsed}. A handler whose latency climbs past a concurrency knee therefore
 * settles just above the knee. Off unless given to {@code ObservabilityConfig.Builder#adaptiveConcurrency}.
 * Immutable; made by {@link #builder()}.
 *
 * <p>The limit gates claims: with a claim-ahead above 0, claimed jobs beyond it may still start.
 */
public final class AdaptiveConcurrency {

    private final int minLimit;
    private final int initialLimit;
    private final Duration window;
    private final int minSamples;
    private final double latencyTolerance;
    private final double backoffRatio;
    private final double maxHeapUsed;
    private final double maxErrorRate;

    private AdaptiveConcurrency(Builder b) {
        this.minLimit = b.minLimit;
        this.initialLimit = b.initialLimit;
        this.window = b.window;
        this.minSamples = b.minSamples;
        this.latencyTolerance = b.latencyTolerance;
        this.backoffRatio = b.backoffRatio;
        this.maxHeapUsed = b.maxHeapUsed;
        this.maxErrorRate = b.maxErrorRate;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int minLimit() {
        return minLimit;
    }

    public int initialLimit() {
        return initialLimit;
    }

    public Duration window() {
        return window;
    }

    public int minSamples() {
        return minSamples;
    }

    public double latencyTolerance() {
        return latencyTolerance;
    }

    public double backoffRatio() {
        return backoffRatio;
    }

    public double maxHeapUsed() {
        return maxHeapUsed;
    }

    public double maxErrorRate() {
        return maxErrorRate;
    }

    /** Collects settings; not thread-safe. */
    public static final class Builder {
        private int minLimit = 1;
        private int initialLimit = 1;
        private Duration window = Duration.ofMillis(500);
        private int minSamples = 10;
        private double latencyTolerance = 1.25;
        private double backoffRatio = 0.9;
        private double maxHeapUsed = 0.90;
        private double maxErrorRate = 0.15;

        private Builder() {
        }

        /** The lowest limit. Default 1. */
        public Builder minLimit(int limit) {
            this.minLimit = limit;
            return this;
        }

        /** The limit at start, raised to minLimit and capped by the queue's concurrency. Default 1. */
        public Builder initialLimit(int limit) {
            this.initialLimit = limit;
            return this;
        }

        /** How often the limit is reconsidered. Default 500 ms. */
        public Builder window(Duration window) {
            this.window = window;
            return this;
        }

        /** Attempts a window must hold to count. Default 10. */
        public Builder minSamples(int samples) {
            this.minSamples = samples;
            return this;
        }

        /** Average latency above this × the no-load latency backs off. Default 1.25; must be > 1. */
        public Builder latencyTolerance(double factor) {
            this.latencyTolerance = factor;
            return this;
        }

        /** The limit is multiplied by this when backing off. Default 0.9; in (0, 1). */
        public Builder backoffRatio(double ratio) {
            this.backoffRatio = ratio;
            return this;
        }

        /** Heap share above which the limit backs off. Default 0.90. */
        public Builder maxHeapUsed(double ratio) {
            this.maxHeapUsed = ratio;
            return this;
        }

        /** Share of a window's attempts that may fail before the limit backs off. Default 0.15; 0 to 1. */
        public Builder maxErrorRate(double ratio) {
            this.maxErrorRate = ratio;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad value */
        public AdaptiveConcurrency build() {
            Checks.atLeast("minLimit", minLimit, 1);
            Checks.atLeast("initialLimit", initialLimit, 1);
            Checks.positive("window", window);
            Checks.atLeast("minSamples", minSamples, 1);
            if (!(latencyTolerance > 1)) {
                throw new IllegalArgumentException("latencyTolerance must be > 1 but was " + latencyTolerance);
            }
            if (!(backoffRatio > 0 && backoffRatio < 1)) {
                throw new IllegalArgumentException("backoffRatio must be in (0, 1) but was " + backoffRatio);
            }
            Checks.ratio("maxHeapUsed", maxHeapUsed);
            Checks.ratio("maxErrorRate", maxErrorRate);
            return new AdaptiveConcurrency(this);
        }
    }
}
