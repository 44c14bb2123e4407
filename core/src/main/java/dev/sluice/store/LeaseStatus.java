package dev.sluice.store;

/** What a lease renewal found. */
public enum LeaseStatus {
    /** Extended. */
    RENEWED,
    /** Extended, and someone asked to cancel the job: the node should stop it. */
    CANCEL_REQUESTED,
    /** Not the holder any more (expired and recovered, or finished elsewhere): stop, the completion will be refused. */
    LOST
}
