package dev.sluice.observe;

/** The verdict of a {@link HealthReport}. */
public enum HealthStatus {
    /** Every check passed. */
    UP,
    /** Jobs run, but at least one check failed. */
    DEGRADED,
    /** Jobs cannot run: the store is unreachable, or the score fell below 40. */
    DOWN
}
