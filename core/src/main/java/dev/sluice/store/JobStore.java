package dev.sluice.store;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.Priority;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where jobs live: the SPI every store implements. Batch-first: each hot-path call takes or returns a list and
 * must be one round trip to the backing service (one transaction, one script).
 *
 * <h2>Contract</h2>
 * Every implementation passes {@code dev.sluice.store.contract.JobStoreContract} from core's test-jar. In short:
 * <ul>
 *   <li><b>Thread-safety.</b> All methods may be called concurrently from many threads and, for shared stores,
 *       many processes. Each call is atomic: it is applied whole or not at all.</li>
 *   <li><b>Time.</b> A store reads "now" from its own clock (a {@link java.time.Clock} given when it is built,
 *       or the server's clock); run-at times, lease expiry and aging are judged by it.</li>
 *   <li><b>States.</b> Every job is in exactly one {@link dev.sluice.JobState}. A job that has not finished
 *       never leaves the store; finished jobs (SUCCEEDED, CANCELLED) may be dropped by the store's own
 *       retention, DEAD jobs only by an explicit purge.</li>
 *   <li><b>Order.</b> Claims hand out due jobs (READY, or SCHEDULED whose run-at has passed) by ascending
 *       {@link Priority#sortKey sort key} computed from the time the job became ready and the store's aging
 *       step, ties by ascending id.</li>
 *   <li><b>Exclusivity.</b> A job is held by at most one lease at a time; each claim issues a fencing token
 *       greater than every token the store issued before. Fenced writes ({@link #completeAll},
 *       {@link #saveProgress}) apply only when the job is RUNNING under the presented token.</li>
 *   <li><b>Unique keys.</b> At most one non-terminal job holds a unique key; the key is free again once that
 *       job is SUCCEEDED, DEAD or CANCELLED.</li>
 * </ul>
 */
public interface JobStore extends AutoCloseable {

    /**
     * Stores jobs atomically: all of them, or none when any cannot be stored. A job whose run-at is in the
     * future is SCHEDULED, otherwise READY. A job whose unique key a live job holds (or an earlier job of the
     * same list holds) is not stored: its result names the holder and {@code duplicate} is true.
     *
     * @return one result per job, in order
     * @throws dev.sluice.StoreCapacityExceededException when the store cannot hold them; nothing was stored
     */
    List<EnqueueResult> enqueue(List<NewJob> jobs);

    /**
     * Claims due jobs of the requested, not paused queues, best sort key first, within the request's bounds.
     * Each claimed job becomes RUNNING with attempts + 1, a new fencing token, a lease that expires
     * {@code leaseMillis} from now, and the node as lease owner. No job is handed out twice.
     */
    ClaimBatch claim(ClaimRequest request);

    /**
     * Records the end of attempts. Each completion applies only when its job is RUNNING under its fencing
     * token; otherwise it is refused as STALE and changes nothing. See {@link Completion.Outcome} for the states.
     *
     * @return one result per completion, in order
     */
    List<WriteResult> completeAll(List<Completion> completions);

    /**
     * Extends the leases of running jobs to {@code leaseMillis} from now.
     *
     * @return one status per lease, in order
     */
    List<LeaseStatus> renewLeases(List<LeaseRef> leases, long leaseMillis);

    /**
     * Takes back up to {@code max} RUNNING jobs whose lease has expired: READY when attempts are left (the
     * expired attempt counts), else DEAD with an error naming the lease owner; CANCELLED when a cancel was
     * requested while it ran (a requested cancel also wins over a RETRY or RELEASED completion). Safe to call
     * from many nodes.
     */
    List<RecoveredJob> recoverExpired(int max);

    /** Saves progress (and checkpoints) of running jobs, fenced like completions. One result per update. */
    List<WriteResult> saveProgress(List<ProgressUpdate> updates);

    /** Cancels a job: at once when it waits, by request (seen at its next lease renewal) when it runs. */
    CancelResult cancel(JobId id);

    /** Stops claims from a queue (store-wide) until {@link #resumeQueue}. Idempotent. */
    void pauseQueue(String queue);

    /** Lets claims take from a queue again. Idempotent. */
    void resumeQueue(String queue);

    Set<String> pausedQueues();

    /**
     * Changes the priority of a job that has not started (WAITING, SCHEDULED, READY).
     *
     * @return false when the job is unknown or not waiting
     */
    boolean reprioritize(JobId id, Priority priority);

    /**
     * Puts a DEAD or CANCELLED job back to READY with its attempts reset to 0.
     *
     * @return false when the job is unknown or in another state
     */
    boolean retry(JobId id);

    Optional<StoredJob> find(JobId id);

    /** The jobs among {@code ids} that exist, in no particular order. */
    List<StoredJob> findAll(Collection<JobId> ids);

    /** A page of jobs in ascending id order. */
    List<StoredJob> list(JobQuery query);

    /** Counts per queue and state. May cost a scan on a database: callers cache it. */
    StoreStats stats();

    /**
     * Registers a callback run when new work may be due (an enqueue, a retry, a release), possibly from
     * another node. Stores that cannot tell return a no-op subscription; dispatchers then poll.
     *
     * @return closing it unregisters the callback
     */
    default AutoCloseable subscribe(Runnable onWork) {
        return () -> { };
    }

    /** Releases the store's own resources (not a DataSource the user passed in). Idempotent. */
    @Override
    default void close() {
    }
}
