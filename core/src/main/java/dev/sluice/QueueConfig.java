package dev.sluice;

/**
 * A named queue this node serves, with its own concurrency limit (under the engine's global limit) and the
 * share of that limit one tenant may hold. Immutable; made by {@link #of} or {@link #builder}.
 */
public final class QueueConfig {

    private final String name;
    private final int concurrency;
    private final double tenantShare;

    private QueueConfig(String name, int concurrency, double tenantShare) {
        this.name = name;
        this.concurrency = concurrency;
        this.tenantShare = tenantShare;
    }

    /** A queue with this concurrency and no tenant limit. */
    public static QueueConfig of(String name, int concurrency) {
        return builder(name).concurrency(concurrency).build();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** Jobs of this queue running at once on this node. */
    public int concurrency() {
        return concurrency;
    }

    /** The fraction (0, 1] of this queue's concurrency one tenant may use; 1 means no limit. */
    public double tenantShare() {
        return tenantShare;
    }

    /** Slots one tenant may hold: ceil(share × concurrency), at least 1. */
    public int maxPerTenant() {
        return Math.max(1, (int) Math.ceil(tenantShare * concurrency));
    }

    @Override
    public String toString() {
        return "QueueConfig{name='" + name + "', concurrency=" + concurrency + ", tenantShare=" + tenantShare + '}';
    }

    /** Builds a {@link QueueConfig}; {@link #build()} validates. */
    public static final class Builder {
        private final String name;
        private int concurrency = 4;
        private double tenantShare = 1.0;

        private Builder(String name) {
            this.name = name;
        }

        /** Default 4; at least 1. */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /** Fraction (0, 1] of the queue's slots one tenant may use. Default 1 (no limit). */
        public Builder tenantShare(double tenantShare) {
            this.tenantShare = tenantShare;
            return this;
        }

        public QueueConfig build() {
            Names.requireQueue(name);
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency of queue '" + name + "' must be >= 1 but was "
                        + concurrency);
            }
            if (!(tenantShare > 0 && tenantShare <= 1)) {
                throw new IllegalArgumentException("tenantShare of queue '" + name + "' must be in (0, 1] but was "
                        + tenantShare);
            }
            return new QueueConfig(name, concurrency, tenantShare);
        }
    }
}
