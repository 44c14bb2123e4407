package dev.sluice.ops;

import dev.sluice.JobState;

/**
 * What an admin action (retry, cancel, reprioritize) did to one job.
 *
 * @param id      the job id
 * @param outcome what happened
 * @param state   the job's state after the action (for REFUSED: the state that refused it); null when NOT_FOUND
 */
public record JobActionResult(String id, Outcome outcome, JobState state) {

    /** What happened to the job. */
    public enum Outcome {
        /** Done: retried (READY), cancelled, or reprioritized. */
        DONE,
        /** The job is running: cancellation was requested and reaches it with its node's next lease renewal. */
        REQUESTED,
        /** Its state does not allow the action (retry of a job that is not DEAD or CANCELLED, cancel of a finished job...). */
        REFUSED,
        /** No such job (unknown, or purged). */
        NOT_FOUND
    }
}
