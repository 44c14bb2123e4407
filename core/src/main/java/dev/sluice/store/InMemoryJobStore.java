package dev.sluice.store;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.StoreCapacityExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The default {@link JobStore}: jobs held in this JVM's heap, lost when it stops. Made by {@link #builder()}.
 *
 * <p><b>Thread-safety.</b> Every method is atomic: one lock guards the whole store, taken once per call, so a
 * batch of a thousand jobs costs one lock acquisition. Subscriber callbacks run after the lock is released, on
 * the thread that made the change.
 *
 * <p><b>Cost.</b> A hash map finds jobs by id. Each queue keeps its READY jobs per tenant in claim order
 * ({@link Priority#sortKey sort key}, then id) and its SCHEDULED jobs in a heap by run-at; its counts per state are
 * kept as jobs move, so {@link #stats()} does not scan. Enqueue, claim and completion cost O(1) per job when jobs
 * become ready in order within their priority (the usual case) and O(log n) otherwise. Scheduled jobs are
 * promoted when a claim or {@link #stats()} looks at their queue; until then a due job still reads SCHEDULED.
 * {@link #recoverExpired} looks at the running jobs only. {@link #list} scans all held jobs under the lock
 * (O(n log limit)): it is meant for consoles, not for hot paths.
 *
 * <p><b>Memory.</b> About 240 bytes per held job (measured with a million READY jobs) beyond its payload, result
 * and checkpoint arrays, which are kept as given and returned without copying: callers must not modify them. At
 * most {@code capacity} jobs that are not finished (WAITING, SCHEDULED, READY, RUNNING and DEAD) are held; of the
 * SUCCEEDED and CANCELLED jobs the most recently finished {@code retainFinished} are kept for queries and older
 * ones are dropped.
 *
 * <p><b>Dependency graphs.</b> A job in a graph carries its edges; a parent keeps its children with their edge
 * policies, so releasing or cancelling the dependents of a finished parent costs O(1) per edge, and cascades run
 * in a loop (not by recursion) within the call that ended the parent. A finished job is kept past retainFinished
 * while one of its dependents has not finished, so that the dependent can read it. An edge to a finished parent
 * that the store has already dropped (see retainFinished) is an edge to an unknown job.
 *
 * <p><b>Operations.</b> {@link #cancelWaiting} and {@link #purge} scan the held jobs under the lock; leader
 * leases, the node registry, recurring fires and the audit trail live in maps beside the jobs. A job's audit
 * trail goes with the job.
 *
 * <p><b>Choices the SPI leaves open.</b> A cancel requested while a job runs wins over a later RETRY or
 * RELEASED completion and over lease-expiry recovery: the job ends CANCELLED. {@link #retry} refuses (returns
 * false) when another live job holds the job's unique key, and throws {@link StoreCapacityExceededException}
 * when bringing back a CANCELLED job would pass the capacity.
 */
public final class InMemoryJobStore implements JobStore, ResultCacheStore, SharedRateLimits {

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryJobStore.class);
    private static final JobState[] STATES = JobState.values();

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final JobTable table;
    private final MemOperations operations = new MemOperations();
    private final MemSharedState shared = new MemSharedState();

    private final CopyOnWriteArrayList<Runnable> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicLong subscriberFailures = new AtomicLong();

    private InMemoryJobStore(Builder builder) {
        this.clock = builder.clock;
        this.table = new JobTable(builder.agingStep.toMillis(), builder.capacity, builder.retainFinished);
        this.table.onForget = operations::forgetHistory;
    }

    /** A builder with the defaults: system UTC clock, aging step 60 s, capacity 1,000,000, retain 10,000. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- enqueue

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the id when a job with the same id is already held or appears
     *                                  twice in the list; nothing was stored
     */
    @Override
    public List<EnqueueResult> enqueue(List<NewJob> newJobs) {
        int n = newJobs.size();
        if (n == 0) {
            return List.of();
        }
        EnqueueResult[] results = new EnqueueResult[n];
        boolean stored;
        lock.lock();
        try {
            stored = table.store(newJobs, results, clock.millis());
        } finally {
            lock.unlock();
        }
        if (stored) {
            signalWork();
        }
        return Collections.unmodifiableList(Arrays.asList(results));
    }

    // ---------------------------------------------------------------- claim

    @Override
    public ClaimBatch claim(ClaimRequest request) {
        lock.lock();
        try {
            return ClaimPass.claim(table, request, clock.millis());
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- fenced writes

    /**
     * {@inheritDoc}
     *
     * <p>A RETRY or RELEASED completion of a job whose cancellation was requested ends it CANCELLED instead.
     */
    @Override
    public List<WriteResult> completeAll(List<Completion> completions) {
        int n = completions.size();
        WriteResult[] results = new WriteResult[n];
        boolean madeWork = false;
        lock.lock();
        try {
            long now = clock.millis();
            for (int i = 0; i < n; i++) {
                Completion completion = completions.get(i);
                MemJob job = table.runningUnder(completion.id(), completion.fencingToken());
                if (job == null) {
                    results[i] = WriteResult.STALE;
                } else {
                    madeWork |= table.endAttempt(job, completion, now);
                    results[i] = WriteResult.ACCEPTED;
                }
            }
            madeWork |= table.takeReleasedToRun() > 0;
        } finally {
            lock.unlock();
        }
        if (madeWork) {
            signalWork();
        }
        return Collections.unmodifiableList(Arrays.asList(results));
    }

    @Override
    public List<LeaseStatus> renewLeases(List<LeaseRef> leases, long leaseMillis) {
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("leaseMillis must be > 0 but was " + leaseMillis);
        }
        int n = leases.size();
        LeaseStatus[] statuses = new LeaseStatus[n];
        lock.lock();
        try {
            long expiresAt = clock.millis() + leaseMillis;
            for (int i = 0; i < n; i++) {
                LeaseRef lease = leases.get(i);
                MemJob job = table.runningUnder(lease.id(), lease.fencingToken());
                if (job == null) {
                    statuses[i] = LeaseStatus.LOST;
                } else {
                    job.leaseExpiresAtMillis = expiresAt;
                    statuses[i] = job.cancelRequested ? LeaseStatus.CANCEL_REQUESTED : LeaseStatus.RENEWED;
                }
            }
        } finally {
            lock.unlock();
        }
        return Collections.unmodifiableList(Arrays.asList(statuses));
    }

    /**
     * {@inheritDoc}
     *
     * <p>A job whose cancellation was requested ends CANCELLED instead ({@code newState} CANCELLED).
     */
    @Override
    public List<RecoveredJob> recoverExpired(int max) {
        List<RecoveredJob> recovered = new ArrayList<>();
        boolean madeWork = false;
        lock.lock();
        try {
            long now = clock.millis();
            MemJob job = table.running.first();
            while (job != null && recovered.size() < max) {
                MemJob next = job.next;
                if (job.leaseExpiresAtMillis < now) {
                    RecoveredJob taken = table.recover(job, now);
                    madeWork |= taken.newState() == JobState.READY;
                    recovered.add(taken);
                }
                job = next;
            }
            madeWork |= table.takeReleasedToRun() > 0;
        } finally {
            lock.unlock();
        }
        if (madeWork) {
            signalWork();
        }
        return recovered;
    }

    @Override
    public List<WriteResult> saveProgress(List<ProgressUpdate> updates) {
        int n = updates.size();
        WriteResult[] results = new WriteResult[n];
        lock.lock();
        try {
            for (int i = 0; i < n; i++) {
                ProgressUpdate update = updates.get(i);
                MemJob job = table.runningUnder(update.id(), update.fencingToken());
                if (job == null) {
                    results[i] = WriteResult.STALE;
                } else {
                    job.progress = update.progress();
                    if (update.checkpoint() != null) {
                        job.checkpoint = update.checkpoint();
                    }
                    results[i] = WriteResult.ACCEPTED;
                }
            }
        } finally {
            lock.unlock();
        }
        return Collections.unmodifiableList(Arrays.asList(results));
    }

    // ---------------------------------------------------------------- control

    @Override
    public CancelResult cancel(JobId id) {
        CancelResult result;
        boolean released;
        lock.lock();
        try {
            MemJob job = table.jobs.get(id);
            result = job == null ? CancelResult.NOT_FOUND : table.cancel(job, clock.millis());
            released = table.takeReleasedToRun() > 0;
        } finally {
            lock.unlock();
        }
        if (released) {
            signalWork();
        }
        return result;
    }

    @Override
    public void pauseQueue(String queue) {
        Objects.requireNonNull(queue, "queue");
        lock.lock();
        try {
            table.queueNamed(queue).paused = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void resumeQueue(String queue) {
        Objects.requireNonNull(queue, "queue");
        boolean resumed = false;
        lock.lock();
        try {
            MemQueue memQueue = table.queues.get(queue);
            if (memQueue != null && memQueue.paused) {
                memQueue.paused = false;
                resumed = true;
            }
        } finally {
            lock.unlock();
        }
        if (resumed) {
            signalWork();
        }
    }

    @Override
    public Set<String> pausedQueues() {
        lock.lock();
        try {
            Set<String> paused = new HashSet<>();
            for (MemQueue queue : table.queues.values()) {
                if (queue.paused) {
                    paused.add(queue.name);
                }
            }
            return Set.copyOf(paused);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean reprioritize(JobId id, Priority priority) {
        Objects.requireNonNull(priority, "priority");
        lock.lock();
        try {
            MemJob job = table.jobs.get(id);
            return job != null && table.reprioritize(job, priority);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The job takes its unique key again; when another live job holds it now, nothing changes and the result
     * is false. Progress, checkpoint and last error are kept.
     *
     * @throws StoreCapacityExceededException when the job is CANCELLED and the store is at capacity
     */
    @Override
    public boolean retry(JobId id) {
        lock.lock();
        try {
            MemJob job = table.jobs.get(id);
            if (job == null || !table.retry(job, clock.millis())) {
                return false;
            }
        } finally {
            lock.unlock();
        }
        signalWork();
        return true;
    }

    // ---------------------------------------------------------------- queries

    @Override
    public Optional<StoredJob> find(JobId id) {
        lock.lock();
        try {
            MemJob job = table.jobs.get(id);
            return job == null ? Optional.empty() : Optional.of(job.toStored());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<StoredJob> findAll(Collection<JobId> ids) {
        List<StoredJob> found = new ArrayList<>(ids.size());
        lock.lock();
        try {
            for (JobId id : ids) {
                MemJob job = table.jobs.get(id);
                if (job != null) {
                    found.add(job.toStored());
                }
            }
        } finally {
            lock.unlock();
        }
        return found;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Scans every held job under the store's lock and keeps the {@code limit} smallest matching ids
     * (O(n log limit)): fine for consoles and tests, not for a hot path.
     */
    @Override
    public List<StoredJob> list(JobQuery query) {
        int limit = query.limit();
        // a max-heap by id of the best page so far
        PriorityQueue<MemJob> page = new PriorityQueue<>(limit + 1, (a, b) -> b.id.compareTo(a.id));
        lock.lock();
        try {
            for (MemJob job : table.jobs.values()) {
                if ((query.state() != null && job.state != query.state())
                        || (query.queue() != null && !query.queue().equals(job.queueName()))
                        || (query.type() != null && !query.type().equals(job.type))
                        || (query.afterId() != null && job.id.compareTo(query.afterId()) <= 0)) {
                    continue;
                }
                if (page.size() < limit) {
                    page.add(job);
                } else if (job.id.compareTo(page.peek().id) < 0) {
                    page.poll();
                    page.add(job);
                }
            }
            StoredJob[] sorted = new StoredJob[page.size()];
            for (int i = sorted.length - 1; i >= 0; i--) {
                sorted[i] = page.poll().toStored();
            }
            return List.of(sorted);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Costs no scan of jobs: counts are kept per queue as jobs change state, and the oldest ready time is read
     * from the heads of the ready queues. Every queue the store has seen is listed, paused ones included. Due
     * SCHEDULED jobs are promoted to READY first.
     */
    @Override
    public StoreStats stats() {
        lock.lock();
        try {
            long now = clock.millis();
            Map<String, QueueStats> byQueue = new HashMap<>();
            for (MemQueue queue : table.queues.values()) {
                table.promoteDue(queue, now);
                Map<JobState, Long> counts = new HashMap<>();
                for (JobState state : STATES) {
                    long count = queue.counts[state.ordinal()];
                    if (count > 0) {
                        counts.put(state, count);
                    }
                }
                long oldest = queue.oldestReadyAt();
                byQueue.put(queue.name, new QueueStats(queue.name, counts,
                        oldest == MemJob.NONE ? null : Instant.ofEpochMilli(oldest), queue.paused));
            }
            return new StoreStats(byQueue, Instant.ofEpochMilli(now));
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- dependency graphs

    @Override
    public List<Dependency> parentsOf(JobId child) {
        lock.lock();
        try {
            MemJob job = table.jobs.get(child);
            return job == null || job.links == null ? List.of() : job.links.parents;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<JobId> childrenOf(JobId parent) {
        List<JobId> children = new ArrayList<>();
        lock.lock();
        try {
            MemJob job = table.jobs.get(parent);
            if (job != null && job.links != null) {
                for (int i = 0; i < job.links.childCount(); i++) {
                    children.add(job.links.child(i).id);
                }
            }
        } finally {
            lock.unlock();
        }
        children.sort(null);
        return children;
    }

    // ---------------------------------------------------------------- operations

    /**
     * {@inheritDoc}
     *
     * <p>Scans every held job under the store's lock: an operator's call, not a hot path.
     */
    @Override
    public int cancelWaiting(String queue, int max) {
        Objects.requireNonNull(queue, "queue");
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1 but was " + max);
        }
        int cancelled;
        boolean released;
        lock.lock();
        try {
            cancelled = MemPurge.cancelWaiting(table, queue, max, clock.millis());
            released = table.takeReleasedToRun() > 0;
        } finally {
            lock.unlock();
        }
        if (released) {
            signalWork();
        }
        return cancelled;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Scans and sorts the held jobs in the request's states under the store's lock.
     */
    @Override
    public int purge(PurgeRequest request) {
        Objects.requireNonNull(request, "request");
        lock.lock();
        try {
            return MemPurge.purge(table, request);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<EnqueueResult> enqueueFire(String scheduleId, long fireTimeMillis, NewJob job) {
        Objects.requireNonNull(scheduleId, "scheduleId");
        Objects.requireNonNull(job, "job");
        EnqueueResult[] result = new EnqueueResult[1];
        lock.lock();
        try {
            if (operations.lastFire(scheduleId).orElse(Long.MIN_VALUE) >= fireTimeMillis) {
                return Optional.empty();
            }
            table.store(List.of(job), result, clock.millis()); // throws before the fire is taken
            operations.takeFire(scheduleId, fireTimeMillis);
        } finally {
            lock.unlock();
        }
        if (!result[0].duplicate()) {
            signalWork();
        }
        return Optional.of(result[0]);
    }

    @Override
    public OptionalLong lastFire(String scheduleId) {
        lock.lock();
        try {
            return operations.lastFire(scheduleId);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<LeaderLease> tryLead(String role, String nodeId, long leaseMillis) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(nodeId, "nodeId");
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("leaseMillis must be > 0 but was " + leaseMillis);
        }
        lock.lock();
        try {
            return operations.tryLead(role, nodeId, leaseMillis, clock.millis());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void resign(String role, String nodeId) {
        lock.lock();
        try {
            operations.resign(role, nodeId);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<LeaderLease> leader(String role) {
        lock.lock();
        try {
            return operations.leader(role, clock.millis());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void heartbeat(NodeInfo node, long ttlMillis) {
        Objects.requireNonNull(node, "node");
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException("ttlMillis must be > 0 but was " + ttlMillis);
        }
        lock.lock();
        try {
            operations.heartbeat(node, ttlMillis, clock.millis());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<NodeInfo> nodes() {
        lock.lock();
        try {
            return operations.nodes(clock.millis());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void removeNode(String nodeId) {
        lock.lock();
        try {
            operations.removeNode(nodeId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The trail of a job is dropped with the job (by a purge, or when it falls out of the retained finished
     * jobs).
     */
    @Override
    public void appendHistory(List<HistoryEntry> entries) {
        lock.lock();
        try {
            operations.appendHistory(entries);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<HistoryEntry> history(JobId id) {
        lock.lock();
        try {
            return operations.history(id);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- optional capabilities

    @Override
    public Optional<CachedResult> findCachedResult(String type, String key) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        lock.lock();
        try {
            return shared.find(type, key, clock.millis());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void saveCachedResult(String type, String key, byte[] result, long ttlMillis) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException("ttlMillis must be > 0 but was " + ttlMillis);
        }
        lock.lock();
        try {
            shared.save(type, key, result, ttlMillis, clock.millis());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public PermitGrant takePermits(String name, int wanted, int limit, long periodMillis) {
        Objects.requireNonNull(name, "name");
        if (wanted < 1 || limit < 1 || periodMillis < 1) {
            throw new IllegalArgumentException("wanted, limit and periodMillis must be >= 1 but were " + wanted
                    + ", " + limit + ", " + periodMillis);
        }
        lock.lock();
        try {
            return shared.take(name, wanted, limit, periodMillis, clock.millis());
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- wake-ups

    /**
     * {@inheritDoc}
     *
     * <p>The callback runs synchronously, outside the store's lock, on the thread whose call made work ready
     * (enqueue, a RETRY or RELEASED completion, retry, lease recovery, resume): it must be quick and must not
     * throw (a throw is logged and ignored).
     */
    @Override
    public AutoCloseable subscribe(Runnable onWork) {
        Objects.requireNonNull(onWork, "onWork");
        Runnable registration = onWork::run; // a distinct object, so closing removes this subscription only
        subscribers.add(registration);
        return () -> subscribers.remove(registration);
    }

    private void signalWork() {
        if (subscribers.isEmpty()) {
            return;
        }
        for (Runnable subscriber : subscribers) {
            try {
                subscriber.run();
            } catch (RuntimeException e) {
                if (subscriberFailures.getAndIncrement() == 0) {
                    LOG.warn("A work subscriber of the in-memory job store threw; this and later throws are "
                            + "ignored (logged once)", e);
                }
            }
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "InMemoryJobStore{held=" + table.held + ", capacity=" + table.capacity + ", running="
                    + table.running.size() + ", finishedKept=" + table.finished.size() + '}';
        } finally {
            lock.unlock();
        }
    }

    /**
     * Settings of an {@link InMemoryJobStore}. Not thread-safe; {@link #build()} validates and may be called
     * more than once.
     */
    public static final class Builder {
        private static final Duration MAX_AGING_STEP = Duration.ofDays(365);

        private Clock clock = Clock.systemUTC();
        private Duration agingStep = Duration.ofSeconds(60);
        private int capacity = 1_000_000;
        private int retainFinished = 10_000;

        private Builder() {
        }

        /** The clock the store reads "now" from. Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * How much earlier a job of one priority level must have become ready to go before a job one level
         * higher (see {@link Priority}). Default 60 s; 1 ms to 365 days.
         */
        public Builder agingStep(Duration agingStep) {
            this.agingStep = agingStep;
            return this;
        }

        /**
         * The most jobs held that are not finished (WAITING, SCHEDULED, READY, RUNNING and DEAD count); an enqueue
         * past it throws {@link StoreCapacityExceededException}. Default 1,000,000.
         */
        public Builder capacity(int capacity) {
            this.capacity = capacity;
            return this;
        }

        /**
         * How many SUCCEEDED and CANCELLED jobs are kept for queries; the oldest-finished are dropped first.
         * 0 drops them at once. Default 10,000.
         */
        public Builder retainFinished(int retainFinished) {
            this.retainFinished = retainFinished;
            return this;
        }

        /** @throws IllegalArgumentException naming the field and the value when a setting is out of range */
        public InMemoryJobStore build() {
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null");
            }
            if (agingStep == null || agingStep.compareTo(Duration.ofMillis(1)) < 0
                    || agingStep.compareTo(MAX_AGING_STEP) > 0) {
                throw new IllegalArgumentException("agingStep must be between 1 ms and 365 days but was "
                        + agingStep);
            }
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be >= 1 but was " + capacity);
            }
            if (retainFinished < 0) {
                throw new IllegalArgumentException("retainFinished must be >= 0 but was " + retainFinished);
            }
            return new InMemoryJobStore(this);
        }
    }
}
