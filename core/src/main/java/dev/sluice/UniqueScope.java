package dev.sluice;

/**
 * How long a job holds its unique key, so that a second submit with the same key is a duplicate (it returns the
 * holder's id, or throws with {@link JobRequest.Builder#failIfDuplicate()}). Whatever the scope, a key can be
 * held on after success for a period with {@link JobRequest.Builder#uniqueFor}.
 */
public enum UniqueScope {
    /**
     * While the job waits to run (WAITING, SCHEDULED, READY): "at most one queued copy". Once it starts, the key
     * is free and a new job with it can be queued while the first runs. A job sent back to wait (a retry, a lease
     * recovery) does not take its key back.
     */
    WHILE_WAITING,
    /** Until the job finishes (SUCCEEDED, DEAD, CANCELLED): "at most one live copy". The default. */
    UNTIL_FINISHED
}
