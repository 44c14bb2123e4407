package dev.sluice.internal.ops;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * When a recurring job fires: a pure function of time, so that every node computes the same fire times.
 * Immutable and thread-safe.
 */
public interface Schedule {

    /** The first fire strictly after {@code time}, or empty when the schedule never fires again. */
    Optional<Instant> nextAfter(Instant time);

    /** The latest fire strictly before {@code time}, or empty when there is none. */
    Optional<Instant> latestBefore(Instant time);

    /** The latest fire at or before {@code time}. */
    default Optional<Instant> latestAtOrBefore(Instant time) {
        return latestBefore(time.plusMillis(1));
    }

    /** The time zone the fires are computed in; empty when they do not depend on one (an interval). */
    default Optional<ZoneId> zone() {
        return Optional.empty();
    }

    /** The schedule in words, for logs and the admin API ("cron '0 2 * * *' in Europe/Paris"). */
    String describe();
}
