package dev.sluice.store;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.Priority;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
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
 *   <li><b>Unique keys.</b> At most one job holds a unique key. A job holds its key while it is not finished
 *       (scope UNTIL_FINISHED, the default) or only while it waits to start (WAITING, SCHEDULED, READY: scope
 *       WHILE_WAITING, whose key is free from its first claim on and is not taken back by a retry); with
 *       {@code uniqueHoldMillis} above 0 a job that SUCCEEDED holds it on until that long after it finished,
 *       on the store's clock. A DEAD or CANCELLED job frees it at once.</li>
 *   <li><b>Dependencies.</b> A job with parents is WAITING until each parent is <i>resolved</i>, then becomes
 *       READY (or SCHEDULED, when its run-at is still ahead) exactly once, even when parents finish at the same
 *       moment on different nodes. A parent is resolved when it is SUCCEEDED, or when it is DEAD or CANCELLED and
 *       the edge's policy is RUN_DEPENDENTS or IGNORE. When a parent ends DEAD or CANCELLED and the edge's policy
 *       is CANCEL_DEPENDENTS, the waiting dependent becomes CANCELLED in the same atomic step, with an error that
 *       names the parent and its state, and the cancel cascades to its own dependents by their edges. These rules
 *       apply whichever call ends the parent: {@link #completeAll}, {@link #recoverExpired}, {@link #cancel},
 *       {@link #cancelWaiting}. A job that is retried by hand does not bring back dependents already released
 *       or cancelled.</li>
 * </ul>
 */
public interface JobStore extends AutoCloseable {

    /**
     * Stores jobs atomically: all of them, or none when any cannot be stored. A job whose run-at is in the
     * future is SCHEDULED, otherwise READY. A job whose unique key a live job holds (or an earlier job of the
     * same list holds) is not stored: its result names the holder and {@code duplicate} is true.
     *
     * <p>A job with {@link NewJob#parents() parents} is WAITING while any parent is unresolved (see the
     * class comment). Each parent must be stored already or come earlier in the list; a parent that already
     * SUCCEEDED counts as resolved, one that is DEAD or CANCELLED applies the edge's policy at once (a job stored
     * with a CANCEL_DEPENDENTS edge to a failed parent is stored CANCELLED). A job stored as a duplicate cannot be
     * a parent within the same list.
     *
     * @return one result per job, in order
     * @throws dev.sluice.StoreCapacityExceededException when the store cannot hold them; nothing was stored
     * @throws IllegalArgumentException naming the ids when a parent is neither stored nor earlier in the list, or
     *                                  an id is already stored or repeated; nothing was stored
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

    // ---------------------------------------------------------------- dependency graphs

    /** The edges a job waits on (all of them, resolved or not), in the order they were given; empty if none. */
    List<Dependency> parentsOf(JobId child);

    /** The jobs that depend on {@code parent}, in ascending id order; empty if none. */
    List<JobId> childrenOf(JobId parent);

    // ---------------------------------------------------------------- operations

    /**
     * Cancels up to {@code max} jobs of a queue that have not started (WAITING, SCHEDULED, READY), oldest id
     * first, cascading to dependents by their edges. Running jobs are left alone.
     *
     * @return how many were cancelled; less than {@code max} means the queue holds no more waiting jobs
     */
    int cancelWaiting(String queue, int max);

    /**
     * Deletes finished jobs chosen by the request, with their edges and history, in one bounded step.
     *
     * @return how many jobs were deleted; less than the request's limit means nothing more matches now
     */
    int purge(PurgeRequest request);

    /**
     * Stores one fire of a recurring job, once: when {@code fireTimeMillis} is later than the latest fire stored
     * for {@code scheduleId}, the store records it as the latest fire and enqueues the job (which may come back as
     * a duplicate of a live job holding its unique key: the fire is still used up), in one atomic step. Otherwise
     * it changes nothing and returns empty. So neither two nodes nor a catch-up store the same fire twice.
     */
    Optional<EnqueueResult> enqueueFire(String scheduleId, long fireTimeMillis, NewJob job);

    /** The latest fire time stored by {@link #enqueueFire} for a schedule, or empty when it never fired. */
    OptionalLong lastFire(String scheduleId);

    /**
     * Takes or renews the lease of a role: granted when no lease is held, when it has expired (on the store's
     * clock), or when {@code nodeId} holds it already. A lease that changes hands gets a fencing token greater
     * than any the role had; a renewal keeps the token.
     *
     * @return the lease when {@code nodeId} holds it now, else empty
     */
    Optional<LeaderLease> tryLead(String role, String nodeId, long leaseMillis);

    /** Gives up the lease of a role when {@code nodeId} holds it, so another node can take it at once. */
    void resign(String role, String nodeId);

    /** The lease of a role when one is held and not expired, else empty. */
    Optional<LeaderLease> leader(String role);

    /**
     * Records that a node is alive; the store sets {@code lastSeen} to its own now. Entries older than
     * {@code ttlMillis} are no longer listed by {@link #nodes} (and may be deleted).
     */
    void heartbeat(NodeInfo node, long ttlMillis);

    /** The nodes whose latest heartbeat is within its time to live, by node id. */
    List<NodeInfo> nodes();

    /** Removes a node from the registry (a clean shutdown). */
    void removeNode(String nodeId);

    /** Appends state transitions to the audit trail, in one round trip. Entries are never changed afterwards. */
    void appendHistory(List<HistoryEntry> entries);

    /** The audit trail of a job, oldest first; empty when none was recorded. */
    List<HistoryEntry> history(JobId id);

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
