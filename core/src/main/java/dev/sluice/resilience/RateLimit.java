package dev.sluice.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code starts} job starts per {@code period}, for a queue or a job type: on each node, or with
 * {@link #acrossCluster()} on all nodes of the store together. Periods are fixed windows: on one node they follow
 * each other from the engine's start; across the cluster they follow each other from the epoch on the store's
 * clock. A window's permits are never carried over. A job over the limit is not failed: it is handed back to the
 * store, its attempt not counted, to run when the next window opens. Immutable and thread-safe.
 */
public final class RateLimit {

    private final int starts;
    private final Duration period;
    private final boolean acrossCluster;

    private RateLimit(int starts, Duration period, boolean acrossCluster) {
        this.starts = starts;
        this.period = period;
        this.acrossCluster = acrossCluster;
    }

    /**
     * @throws IllegalArgumentException when starts is under 1 or the period is not positive (at least 1 ms)
     */
    public static RateLimit of(int starts, Duration period) {
        if (starts < 1) {
            throw new IllegalArgumentException("rate limit starts must be >= 1 but was " + starts);
        }
        if (period == null || period.toMillis() < 1) {
            throw new IllegalArgumentException("rate limit period must be at least 1 ms but was " + period);
        }
        return new RateLimit(starts, period, false);
    }

    /**
     * The same limit counted once for all the engines that share the store, which must implement
     * {@code dev.sluice.store.SharedRateLimits} (the in-memory, JDBC and Redis stores do). Each node takes permits
     * from the store in small chunks (a tenth of the limit, at most 50), so one store round trip serves several
     * starts; permits a node took and did not use lapse with their window, so a cluster may start a little less
     * than the limit, never more.
     */
    public RateLimit acrossCluster() {
        return new RateLimit(starts, period, true);
    }

    /** True when the limit is counted for the whole cluster (see {@link #acrossCluster()}). */
    public boolean isAcrossCluster() {
        return acrossCluster;
    }

    /** At most {@code starts} per second. */
    public static RateLimit perSecond(int starts) {
        return of(starts, Duration.ofSeconds(1));
    }

    public int starts() {
        return starts;
    }

    public Duration period() {
        return period;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RateLimit && ((RateLimit) o).starts == starts && ((RateLimit) o).period.equals(period)
                && ((RateLimit) o).acrossCluster == acrossCluster;
    }

    @Override
    public int hashCode() {
        return Objects.hash(starts, period, acrossCluster);
    }

    @Override
    public String toString() {
        return starts + " per " + period + (acrossCluster ? " across the cluster" : "");
    }
}
