package dev.sluice;

import java.time.Instant;

/**
 * A change in a job's life as seen by the node where it happened, passed to {@link JobListener}s.
 *
 * @param kind    what happened
 * @param jobId   the job
 * @param type    its type
 * @param queue   its queue
 * @param attempt the attempt concerned (0 for SUBMITTED)
 * @param error   the error for failures, else null
 * @param at      when the node saw it
 */
public record JobEvent(Kind kind, JobId jobId, String type, String queue, int attempt, String error, Instant at) {

    /** The kinds of change. */
    public enum Kind {
        SUBMITTED,
        STARTED,
        SUCCEEDED,
        /** The attempt failed and a retry is scheduled. */
        FAILED,
        DEAD,
        CANCELLED,
        /** This node lost the lease of a running job; its completion will be refused. */
        LEASE_LOST,
        /** An expired lease (of a crashed or frozen node) put the job back to READY, or DEAD. */
        RECOVERED,
        /**
         * The job reached a worker but was handed back without running, its attempt not counted: its type's
         * circuit breaker is open or a rate limit is reached. {@code error} says which.
         */
        DEFERRED
    }
}
