package dev.sluice.ops;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.Priority;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Operations on a running cluster, for people and tools (the dashboard, ops scripts): find and inspect jobs,
 * retry, cancel or reprioritize them in bulk, pause, resume or drain queues, purge finished jobs, flush pending
 * writes, and see the cluster. Obtained by {@code sluice.admin()}; every call goes to the shared store, so it
 * acts on the whole cluster. Thread-safe. Results are plain records, ready to be written as JSON.
 *
 * <p>Bulk calls take at most {@value #MAX_IDS} ids and return one result per id, in order; they are not atomic
 * (each job is changed on its own), and a bad id list throws {@link IllegalArgumentException} before any change.
 */
public interface SluiceAdmin {

    /** The most ids one bulk call takes. */
    int MAX_IDS = 10_000;

    /** A page of jobs matching the query's filters, in ascending id order. */
    JobPage jobs(JobQuery query);

    /**
     * A job with its audit trail, parents and children; empty when the store does not know it. Audit entries are
     * written in batches shortly after each change, so the latest change may show a moment later.
     */
    Optional<JobDetail> job(JobId id);

    /** Puts DEAD or CANCELLED jobs back to READY with fresh attempts. */
    List<JobActionResult> retry(Collection<JobId> ids);

    /** Cancels jobs: at once when waiting, by request when running (see {@link JobActionResult.Outcome}). */
    List<JobActionResult> cancel(Collection<JobId> ids);

    /** Changes the priority of jobs that have not started. */
    List<JobActionResult> reprioritize(Collection<JobId> ids, Priority priority);

    default JobActionResult retry(JobId id) {
        return retry(List.of(id)).get(0);
    }

    default JobActionResult cancel(JobId id) {
        return cancel(List.of(id)).get(0);
    }

    default JobActionResult reprioritize(JobId id, Priority priority) {
        return reprioritize(List.of(id), priority).get(0);
    }

    /** Stops every node from starting the queue's jobs; running jobs finish. Idempotent. */
    void pauseQueue(String queue);

    /** Lets the queue's jobs start again. Idempotent. */
    void resumeQueue(String queue);

    /**
     * Cancels every job of the queue that has not started (WAITING, SCHEDULED, READY), in batches of
     * {@code drainBatchSize}, until a batch finds fewer; running jobs finish. Their dependents are cancelled or
     * released by their edges. The queue is not paused: jobs submitted meanwhile may survive the drain.
     *
     * @return how many jobs were cancelled
     */
    int drainQueue(String queue);

    /** Purges now by the configured {@link RetentionPolicy}, from this node, leader or not. */
    PurgeReport purgeNow();

    /** Purges now by the given policy (its interval is ignored), from this node. */
    PurgeReport purge(RetentionPolicy policy);

    /**
     * Writes what this node holds back for batching — completions, progress and audit entries — now, and waits
     * for the writes up to {@code timeout}.
     *
     * @return true when everything pending was written
     */
    boolean flush(Duration timeout);

    /** Nodes, leader and queues of the cluster now. */
    ClusterView cluster();

    /** True when this node leads the cluster's maintenance now (its own view of its lease). */
    boolean leads();

    /** The recurring jobs registered on this node, with their latest and next fires. */
    List<RecurringView> recurringJobs();
}
