package dev.sluice.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code starts} job starts per {@code period} on one node, for a queue or a job type. Periods are
 * fixed windows that follow each other from the engine's start: a window's permits are never carried over. A job
 * over the limit is not failed: it is handed back to the store, its attempt not counted, to run when the next
 * window opens. Immutable and thread-safe.
 */
public final class RateLimit {

    private final int starts;
    private final Duration period;

    private RateLimit(int starts, Duration period) {
        this.starts = starts;
        this.period = period;
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
        return new RateLimit(starts, period);
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
        return o instanceof RateLimit && ((RateLimit) o).starts == starts && ((RateLimit) o).period.equals(period);
    }

    @Override
    public int hashCode() {
        return Objects.hash(starts, period);
    }

    @Override
    public String toString() {
        return starts + " per " + period;
    }
}
