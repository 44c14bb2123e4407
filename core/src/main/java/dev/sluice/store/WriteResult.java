package dev.sluice.store;

/** Whether a fenced write (completion, progress) was applied. */
public enum WriteResult {
    /** Applied. */
    ACCEPTED,
    /** Refused: the job is not RUNNING under the presented fencing token (lease lost, or unknown job). */
    STALE
}
