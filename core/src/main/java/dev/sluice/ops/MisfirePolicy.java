package dev.sluice.ops;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link RecurringJob} does with fires that were due while no node could store them (the cluster was down,
 * or leaderless during a failover). Made by {@link #skip()}, {@link #skip(Duration)} or {@link #catchUp(int)};
 * immutable.
 *
 * <ul>
 *   <li><b>SKIP</b> (the default): at most one fire is stored per check — the latest one due — and only when it
 *       is no older than the grace period (default 1 minute); older fires are skipped. After a long outage the
 *       schedule simply waits for its next fire.</li>
 *   <li><b>CATCH_UP</b>: the {@code limit} most recent due fires are stored, oldest first, however old; fires
 *       before them are skipped. {@code catchUp(1)} runs the latest missed fire once.</li>
 * </ul>
 * Either way no fire is ever stored twice: fires go through {@code JobStore.enqueueFire}, which takes each fire
 * time once.
 */
public final class MisfirePolicy {

    /** The two ways of handling missed fires. */
    public enum Mode { SKIP, CATCH_UP }

    private static final Duration DEFAULT_GRACE = Duration.ofMinutes(1);
    private static final MisfirePolicy SKIP = new MisfirePolicy(Mode.SKIP, DEFAULT_GRACE, 1);

    private final Mode mode;
    private final Duration grace;
    private final int limit;

    private MisfirePolicy(Mode mode, Duration grace, int limit) {
        this.mode = mode;
        this.grace = grace;
        this.limit = limit;
    }

    /** SKIP with a grace period of 1 minute. */
    public static MisfirePolicy skip() {
        return SKIP;
    }

    /**
     * SKIP with the given grace period: a fire stored later than this after its time is skipped.
     *
     * @throws IllegalArgumentException when {@code grace} is null or negative
     */
    public static MisfirePolicy skip(Duration grace) {
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("misfire grace must not be null or negative but was " + grace);
        }
        return new MisfirePolicy(Mode.SKIP, grace, 1);
    }

    /**
     * CATCH_UP: store up to {@code limit} missed fires, the most recent ones, oldest first.
     *
     * @throws IllegalArgumentException when {@code limit} is not in 1..1000
     */
    public static MisfirePolicy catchUp(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("catch-up limit must be in 1..1000 but was " + limit);
        }
        return new MisfirePolicy(Mode.CATCH_UP, null, limit);
    }

    public Mode mode() {
        return mode;
    }

    /** SKIP's grace period; null for CATCH_UP. */
    public Duration grace() {
        return grace;
    }

    /** The most fires stored by one check: 1 for SKIP, the limit for CATCH_UP. */
    public int limit() {
        return limit;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MisfirePolicy && ((MisfirePolicy) o).mode == mode
                && Objects.equals(((MisfirePolicy) o).grace, grace) && ((MisfirePolicy) o).limit == limit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, grace, limit);
    }

    @Override
    public String toString() {
        return mode == Mode.SKIP ? "SKIP(grace " + grace + ")" : "CATCH_UP(limit " + limit + ")";
    }
}
