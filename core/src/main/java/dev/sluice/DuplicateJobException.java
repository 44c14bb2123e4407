package dev.sluice;

import java.util.List;

/**
 * A submit asked to fail on a duplicate ({@link JobRequest.Builder#failIfDuplicate()}) found its unique key
 * held. The other jobs of the same {@code submitAll} call were stored; {@link #ids()} lists the ids of the whole
 * call as a normal return would have.
 */
public final class DuplicateJobException extends SluiceException {

    private final String uniqueKey;
    private final JobId holder;
    private final List<JobId> ids;

    public DuplicateJobException(String uniqueKey, JobId holder, List<JobId> ids) {
        super("unique key '" + uniqueKey + "' is held by job " + holder);
        this.uniqueKey = uniqueKey;
        this.holder = holder;
        this.ids = List.copyOf(ids);
    }

    public String uniqueKey() {
        return uniqueKey;
    }

    /** The job that holds the key. */
    public JobId holder() {
        return holder;
    }

    /** One id per request of the call, in order: stored jobs, or the holders of duplicates. */
    public List<JobId> ids() {
        return ids;
    }
}
