package dev.sluice.observe;

import java.time.Duration;

/**
 * Parameters of the {@link ScalingAdvisor}. Immutable; made by {@link #builder()}, whose {@code build()}
 * rejects bad values naming the field. Defaults per builder method.
 */
public final class ScalingConfig {

    private static final ScalingConfig DEFAULTS = builder().build();

    private final int minWorkers;
    private final int maxWorkers;
    private final int targetQueueDepth;
    private final double scaleUpFactor;
    private final double scaleDownFactor;
    private final double maxMemoryUsed;
    private final double maxErrorRate;
    private final Duration cooldown;

    private ScalingConfig(Builder b) {
        this.minWorkers = b.minWorkers;
        this.maxWorkers = b.maxWorkers;
        this.targetQueueDepth = b.targetQueueDepth;
        this.scaleUpFactor = b.scaleUpFactor;
        this.scaleDownFactor = b.scaleDownFactor;
        this.maxMemoryUsed = b.maxMemoryUsed;
        this.maxErrorRate = b.maxErrorRate;
        this.cooldown = b.cooldown;
    }

    public static ScalingConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int minWorkers() {
        return minWorkers;
    }

    public int maxWorkers() {
        return maxWorkers;
    }

    public int targetQueueDepth() {
        return targetQueueDepth;
    }

    public double scaleUpFactor() {
        return scaleUpFactor;
    }

    public double scaleDownFactor() {
        return scaleDownFactor;
    }

    public double maxMemoryUsed() {
        return maxMemoryUsed;
    }

    public double maxErrorRate() {
        return maxErrorRate;
    }

    public Duration cooldown() {
        return cooldown;
    }

    /** Collects parameters; not thread-safe. */
    public static final class Builder {
        private int minWorkers = 2;
        private int maxWorkers = 20;
        private int targetQueueDepth = 25;
        private double scaleUpFactor = 1.5;
        private double scaleDownFactor = 0.5;
        private double maxMemoryUsed = 0.80;
        private double maxErrorRate = 0.15;
        private Duration cooldown = Duration.ofMinutes(2);

        private Builder() {
        }

        /** Fewest workers ever advised. Default 2. */
        public Builder minWorkers(int workers) {
            this.minWorkers = workers;
            return this;
        }

        /** Most workers ever advised. Default 20. */
        public Builder maxWorkers(int workers) {
            this.maxWorkers = workers;
            return this;
        }

        /** READY jobs per worker the advisor aims for. Default 25. */
        public Builder targetQueueDepth(int jobsPerWorker) {
            this.targetQueueDepth = jobsPerWorker;
            return this;
        }

        /** Scale up when READY jobs exceed workers × target × this. Default 1.5. */
        public Builder scaleUpFactor(double factor) {
            this.scaleUpFactor = factor;
            return this;
        }

        /** Scale down when READY jobs fall below workers × target × this. Default 0.5. */
        public Builder scaleDownFactor(double factor) {
            this.scaleDownFactor = factor;
            return this;
        }

        /** Heap share (0..1] above which no scale-up is advised. Default 0.80. */
        public Builder maxMemoryUsed(double ratio) {
            this.maxMemoryUsed = ratio;
            return this;
        }

        /** Error rate (0..1] above which the advisor holds: more workers would hammer a failing dependency. Default 0.15. */
        public Builder maxErrorRate(double ratio) {
            this.maxErrorRate = ratio;
            return this;
        }

        /** Least time between two changes of advice. Default 2 minutes. */
        public Builder cooldown(Duration cooldown) {
            this.cooldown = cooldown;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad value */
        public ScalingConfig build() {
            Checks.atLeast("minWorkers", minWorkers, 1);
            if (maxWorkers < minWorkers) {
                throw new IllegalArgumentException("maxWorkers must be >= minWorkers (" + minWorkers + ") but was "
                        + maxWorkers);
            }
            Checks.atLeast("targetQueueDepth", targetQueueDepth, 1);
            if (!(scaleUpFactor > 1)) {
                throw new IllegalArgumentException("scaleUpFactor must be > 1 but was " + scaleUpFactor);
            }
            if (!(scaleDownFactor > 0 && scaleDownFactor < 1)) {
                throw new IllegalArgumentException("scaleDownFactor must be in (0, 1) but was " + scaleDownFactor);
            }
            Checks.ratio("maxMemoryUsed", maxMemoryUsed);
            Checks.ratio("maxErrorRate", maxErrorRate);
            Checks.notNegative("cooldown", cooldown);
            return new ScalingConfig(this);
        }
    }
}
