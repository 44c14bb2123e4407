package dev.sluice.store;

/** What a cancel did. */
public enum CancelResult {
    /** The job was waiting and is now CANCELLED. */
    CANCELLED,
    /** The job is running: cancellation was requested and reaches its node with the next lease renewal. */
    CANCEL_REQUESTED,
    /** The job had already finished; nothing changed. */
    ALREADY_FINISHED,
    /** No such job. */
    NOT_FOUND
}
