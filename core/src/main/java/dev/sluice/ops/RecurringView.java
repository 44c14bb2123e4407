package dev.sluice.ops;

import java.time.Instant;

/**
 * A recurring job as the admin API shows it.
 *
 * @param id        the schedule id
 * @param schedule  the schedule in words
 * @param zone      the time zone of a cron schedule (an id such as {@code Europe/Paris}); null for an interval,
 *                  whose fires do not depend on one
 * @param type      the job type each fire submits
 * @param misfire   its misfire policy in words
 * @param noOverlap whether fires skip while the previous one is unfinished
 * @param lastFire  the latest fire stored (by any node), or null when it never fired
 * @param nextFire  the next fire time after now, or null when it never fires again
 */
public record RecurringView(String id, String schedule, String zone, String type, String misfire, boolean noOverlap,
                            Instant lastFire, Instant nextFire) {
}
