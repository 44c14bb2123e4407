package dev.sluice.ops;

import java.time.Duration;

/**
 * Which finished jobs the cluster's maintenance leader deletes, and how: SUCCEEDED and CANCELLED jobs are kept
 * while they are younger than {@code finishedFor} <i>and</i> among the {@code keepNewestPerType} most recently
 * finished of their type; DEAD jobs (which need a person's attention) are kept for {@code deadFor}. Unfinished jobs
 * are never deleted. Purges run every {@code interval} in batches of at most {@code batchSize} jobs with
 * {@code pauseBetweenBatches} between them, so that the store never takes one huge delete.
 *
 * <p>Made by {@link #builder()} (validated when built), {@link #defaults()} or {@link #none()}; immutable.
 */
public final class RetentionPolicy {

    /** {@link Builder#keepNewestPerType} value for "no count limit, age only". */
    public static final int NO_COUNT_LIMIT = -1;

    private static final RetentionPolicy DEFAULTS = builder().build();
    private static final RetentionPolicy NONE = builder().enabled(false).build();

    private final boolean enabled;
    private final Duration finishedFor;
    private final int keepNewestPerType;
    private final Duration deadFor;
    private final Duration interval;
    private final int batchSize;
    private final Duration pauseBetweenBatches;

    private RetentionPolicy(Builder b) {
        this.enabled = b.enabled;
        this.finishedFor = b.finishedFor;
        this.keepNewestPerType = b.keepNewestPerType;
        this.deadFor = b.deadFor;
        this.interval = b.interval;
        this.batchSize = b.batchSize;
        this.pauseBetweenBatches = b.pauseBetweenBatches;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** 30 days and 1000 per type for SUCCEEDED and CANCELLED, 90 days for DEAD, every 10 minutes. */
    public static RetentionPolicy defaults() {
        return DEFAULTS;
    }

    /** No automatic purges (an admin purge then deletes nothing either). */
    public static RetentionPolicy none() {
        return NONE;
    }

    public boolean enabled() {
        return enabled;
    }

    public Duration finishedFor() {
        return finishedFor;
    }

    /** Newest SUCCEEDED/CANCELLED jobs kept per type, or {@link #NO_COUNT_LIMIT}. */
    public int keepNewestPerType() {
        return keepNewestPerType;
    }

    public Duration deadFor() {
        return deadFor;
    }

    public Duration interval() {
        return interval;
    }

    public int batchSize() {
        return batchSize;
    }

    public Duration pauseBetweenBatches() {
        return pauseBetweenBatches;
    }

    @Override
    public String toString() {
        return !enabled ? "RetentionPolicy{none}" : "RetentionPolicy{finishedFor=" + finishedFor
                + ", keepNewestPerType=" + keepNewestPerType + ", deadFor=" + deadFor + ", interval=" + interval
                + ", batchSize=" + batchSize + ", pauseBetweenBatches=" + pauseBetweenBatches + '}';
    }

    /** Builds a {@link RetentionPolicy}. Not thread-safe. */
    public static final class Builder {
        private boolean enabled = true;
        private Duration finishedFor = Duration.ofDays(30);
        private int keepNewestPerType = 1000;
        private Duration deadFor = Duration.ofDays(90);
        private Duration interval = Duration.ofMinutes(10);
        private int batchSize = 1000;
        private Duration pauseBetweenBatches = Duration.ofMillis(100);

        private Builder() {
        }

        /** False: no purges at all. Default true. */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** How long SUCCEEDED and CANCELLED jobs are kept after they finished; zero or more. Default 30 days. */
        public Builder finishedFor(Duration finishedFor) {
            this.finishedFor = finishedFor;
            return this;
        }

        /**
         * SUCCEEDED and CANCELLED jobs kept per type, the most recently finished; zero or more, or
         * {@link #NO_COUNT_LIMIT}. Default 1000.
         */
        public Builder keepNewestPerType(int keepNewestPerType) {
            this.keepNewestPerType = keepNewestPerType;
            return this;
        }

        /** How long DEAD jobs are kept after they died; zero or more. Default 90 days. */
        public Builder deadFor(Duration deadFor) {
            this.deadFor = deadFor;
            return this;
        }

        /** How often the leader purges; positive. Default 10 minutes. */
        public Builder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        /** Jobs deleted by one store call, 1..100,000. Default 1000. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Pause between two batches of one purge, so that other work gets the store; zero or more. Default 100 ms. */
        public Builder pauseBetweenBatches(Duration pause) {
            this.pauseBetweenBatches = pause;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad setting and its value */
        public RetentionPolicy build() {
            Durations.notNegative("retention finishedFor", finishedFor);
            Durations.notNegative("retention deadFor", deadFor);
            Durations.positive("retention interval", interval);
            Durations.notNegative("retention pauseBetweenBatches", pauseBetweenBatches);
            if (keepNewestPerType < NO_COUNT_LIMIT) {
                throw new IllegalArgumentException("retention keepNewestPerType must be >= 0 (or NO_COUNT_LIMIT)"
                        + " but was " + keepNewestPerType);
            }
            if (batchSize < 1 || batchSize > 100_000) {
                throw new IllegalArgumentException("retention batchSize must be in 1..100000 but was " + batchSize);
            }
            return new RetentionPolicy(this);
        }
    }
}
