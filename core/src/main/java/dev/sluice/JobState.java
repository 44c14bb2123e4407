package dev.sluice;

/**
 * Where a job is in its life. Every stored job is in exactly one state.
 *
 * <pre>
 *   SCHEDULED --(run-at reached)--&gt; READY --(claimed)--&gt; RUNNING --&gt; SUCCEEDED
 *   WAITING --(parents done)------&gt; READY                 RUNNING --(failure, attempts left)--&gt; SCHEDULED
 *                                                          RUNNING --(failure, none left)--&gt; DEAD
 *   any non-terminal --(cancel)--&gt; CANCELLED                RUNNING --(lease expired)--&gt; READY or DEAD
 * </pre>
 */
public enum JobState {
    /** Waiting for parent jobs (dependency graphs). */
    WAITING,
    /** Waiting for its run-at time (a delay or a retry backoff). */
    SCHEDULED,
    /** Runnable now; waiting for a worker. */
    READY,
    /** Claimed by a node under a lease. */
    RUNNING,
    /** Finished successfully. Terminal. */
    SUCCEEDED,
    /** Failed with no attempts left, or failed with a non-retryable error. Terminal until retried by hand. */
    DEAD,
    /** Cancelled. Terminal. */
    CANCELLED;

    /** True for SUCCEEDED, DEAD and CANCELLED. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == DEAD || this == CANCELLED;
    }
}
