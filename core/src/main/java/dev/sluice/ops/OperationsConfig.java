package dev.sluice.ops;

import java.time.Duration;
import java.util.Objects;

/**
 * How an engine takes part in the cluster's operations: leader election for maintenance (recurring fires,
 * retention purges), the node registry, the audit trail and the admin API's batches. Given with
 * {@code Sluice.builder().operations(...)}; made by {@link #builder()} (validated when built) or
 * {@link #defaults()}; immutable.
 *
 * <p><b>Leader.</b> Every node that may lead ({@code leaderEligible}, default true) asks the store for the lease
 * of the role {@code maintenance} every third of {@code leaderLease}; the holder renews it at the same rate. A
 * leader whose renewal fails, or whose lease runs out on its own clock before a renewal succeeded, stops its
 * maintenance work at once; another node takes the lease once it has expired on the store's clock, so failover
 * takes at most one lease plus a third. Expired job leases of crashed nodes are taken back by every node, as
 * before (safe from many nodes), not only by the leader.
 */
public final class OperationsConfig {

    private static final OperationsConfig DEFAULTS = builder().build();

    private final boolean leaderEligible;
    private final Duration leaderLease;
    private final Duration heartbeatInterval;
    private final Duration recurringCheckInterval;
    private final RetentionPolicy retention;
    private final boolean auditTrail;
    private final Duration auditFlushInterval;
    private final int auditBatchSize;
    private final int auditBufferLimit;
    private final int drainBatchSize;

    private OperationsConfig(Builder b) {
        this.leaderEligible = b.leaderEligible;
        this.leaderLease = b.leaderLease;
        this.heartbeatInterval = b.heartbeatInterval;
        this.recurringCheckInterval = b.recurringCheckInterval;
        this.retention = b.retention;
        this.auditTrail = b.auditTrail;
        this.auditFlushInterval = b.auditFlushInterval;
        this.auditBatchSize = b.auditBatchSize;
        this.auditBufferLimit = b.auditBufferLimit;
        this.drainBatchSize = b.drainBatchSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static OperationsConfig defaults() {
        return DEFAULTS;
    }

    public boolean leaderEligible() {
        return leaderEligible;
    }

    public Duration leaderLease() {
        return leaderLease;
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    public Duration recurringCheckInterval() {
        return recurringCheckInterval;
    }

    public RetentionPolicy retention() {
        return retention;
    }

    public boolean auditTrail() {
        return auditTrail;
    }

    public Duration auditFlushInterval() {
        return auditFlushInterval;
    }

    public int auditBatchSize() {
        return auditBatchSize;
    }

    public int auditBufferLimit() {
        return auditBufferLimit;
    }

    public int drainBatchSize() {
        return drainBatchSize;
    }

    /** Builds an {@link OperationsConfig}. Not thread-safe. */
    public static final class Builder {
        private boolean leaderEligible = true;
        private Duration leaderLease = Duration.ofSeconds(30);
        private Duration heartbeatInterval = Duration.ofSeconds(10);
        private Duration recurringCheckInterval = Duration.ofSeconds(1);
        private RetentionPolicy retention = RetentionPolicy.defaults();
        private boolean auditTrail;
        private Duration auditFlushInterval = Duration.ofMillis(200);
        private int auditBatchSize = 500;
        private int auditBufferLimit = 100_000;
        private int drainBatchSize = 1000;

        private Builder() {
        }

        /** False: this node never leads the maintenance (it still heartbeats and serves the admin API). Default true. */
        public Builder leaderEligible(boolean leaderEligible) {
            this.leaderEligible = leaderEligible;
            return this;
        }

        /** Length of the maintenance leader's lease, at least 300 ms; renewed every third. Default 30 s. */
        public Builder leaderLease(Duration leaderLease) {
            this.leaderLease = leaderLease;
            return this;
        }

        /** How often the node reports itself to the registry; it is listed for three intervals. Default 10 s. */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        /** How often the leader looks for due recurring fires: their precision. Default 1 s. */
        public Builder recurringCheckInterval(Duration interval) {
            this.recurringCheckInterval = interval;
            return this;
        }

        /** What finished jobs the leader deletes. Default {@link RetentionPolicy#defaults()}. */
        public Builder retention(RetentionPolicy retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * Records every state change this node makes in the store's audit trail ({@code SluiceAdmin.job(id)}
         * shows it): when, from, to, attempt, node and error. Entries are written shortly after the change, in
         * batches (every {@code auditFlushInterval}, or when {@code auditBatchSize} wait), and at close. Off by
         * default: it costs a store write per batch of changes.
         */
        public Builder auditTrail(boolean auditTrail) {
            this.auditTrail = auditTrail;
            return this;
        }

        /** Longest an audit entry waits before it is written with others. Default 200 ms. */
        public Builder auditFlushInterval(Duration interval) {
            this.auditFlushInterval = interval;
            return this;
        }

        /** Audit entries written per store call at most, 1..10,000. Default 500. */
        public Builder auditBatchSize(int size) {
            this.auditBatchSize = size;
            return this;
        }

        /**
         * Audit entries held while the store cannot take them, at least the batch size; past it new entries are
         * dropped, counted in {@code sluice.audit.dropped} and logged. Default 100,000.
         */
        public Builder auditBufferLimit(int limit) {
            this.auditBufferLimit = limit;
            return this;
        }

        /** Jobs cancelled per store call when an admin drains a queue, 1..100,000. Default 1000. */
        public Builder drainBatchSize(int size) {
            this.drainBatchSize = size;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad setting and its value */
        public OperationsConfig build() {
            Durations.atLeast("leaderLease", leaderLease, Duration.ofMillis(300));
            Durations.positive("heartbeatInterval", heartbeatInterval);
            Durations.atLeast("recurringCheckInterval", recurringCheckInterval, Duration.ofMillis(10));
            Durations.positive("auditFlushInterval", auditFlushInterval);
            if (auditBatchSize < 1 || auditBatchSize > 10_000) {
                throw new IllegalArgumentException("auditBatchSize must be in 1..10000 but was " + auditBatchSize);
            }
            if (auditBufferLimit < auditBatchSize) {
                throw new IllegalArgumentException("auditBufferLimit must be >= auditBatchSize (" + auditBatchSize
                        + ") but was " + auditBufferLimit);
            }
            if (drainBatchSize < 1 || drainBatchSize > 100_000) {
                throw new IllegalArgumentException("drainBatchSize must be in 1..100000 but was " + drainBatchSize);
            }
            return new OperationsConfig(this);
        }
    }
}
