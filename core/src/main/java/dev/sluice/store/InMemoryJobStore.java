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
 * <p><b>Cost.</b> Enqueue, claim and completion cost O(log n) per job (n = ready jobs of the job's queue and
 * tenant): a hash map of jobs by id, per queue and tenant a binary heap of READY jobs by
 * {@link Priority#sortKey sort key} then id, per queue a heap of SCHEDULED jobs by run-at. Scheduled jobs are
 * promoted when a claim or {@link #stats()} looks at their queue; until then a due job still reads SCHEDULED.
 * {@link #recoverExpired} looks at the running jobs only. {@link #list} scans all held jobs under the lock
 * (O(n log limit)): it is meant for consoles, not for hot paths.
 *
 * <p><b>Memory.</b> About 250 bytes per held job beyond its payload, result and checkpoint arrays, which are
 * kept as given and returned without copying: callers must not modify them. At most {@code capacity} jobs that
 * are not finished (WAITING, SCHEDULED, READY, RUNNING and DEAD) are held; of the SUCCEEDED and CANCELLED jobs
 * the most recently finished {@code retainFinished} are kept for queries and older ones are dropped.
 *
 * <p><b>Choices the SPI leaves open.</b> A cancel requested while a job runs wins over a later RETRY or
 * RELEASED completion and over lease-expiry recovery: the job ends CANCELLED. {@link #retry} refuses (returns
 * false) when another live job holds the job's unique key, and throws {@link StoreCapacityExceededException}
 * when bringing back a CANCELLED job would pass the capacity.
 */
public final class InMemoryJobStore implements JobStore {

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryJobStore.class);
    private static final JobState[] STATES = JobState.values();

    private final Clock clock;
    private final long agingStepMillis;
    private final int capacity;
    private final int retainFinished;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<JobId, MemJob> jobs = new HashMap<>();
    private final Map<String, MemQueue> queues = new HashMap<>();
    private final Map<String, MemJob> uniqueKeyHolders = new HashMap<>();
    private final JobChain running = new JobChain();
    /** SUCCEEDED and CANCELLED jobs still kept, oldest finish first. */
    private final JobChain finished = new JobChain();
    /** Jobs counted against the capacity: all but the finished-and-evictable ones. */
    private int held;
    private long lastFencingToken;
    private long claimEpoch;
    /** The queue of the previous enqueued job: batches usually go to one queue. */
    private MemQueue lastQueue;

    private final CopyOnWriteArrayList<Runnable> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicLong subscriberFailures = new AtomicLong();

    private InMemoryJobStore(Builder builder) {
        this.clock = builder.clock;
        this.agingStepMillis = builder.agingStep.toMillis();
        this.capacity = builder.capacity;
        this.retainFinished = builder.retainFinished;
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
            stored = enqueueLocked(newJobs, results, clock.millis());
        } finally {
            lock.unlock();
        }
        if (stored) {
            signalWork();
        }
        return Collections.unmodifiableList(Arrays.asList(results));
    }

    private boolean enqueueLocked(List<NewJob> newJobs, EnqueueResult[] results, long now) {
        int n = results.length;
        // Pass 1, which changes nothing: unique keys (held by a live job, or by an earlier job of this list).
        JobId[] duplicateOf = null;
        Map<String, JobId> keysOfList = null;
        int toStore = n;
        for (int i = 0; i < n; i++) {
            NewJob job = Objects.requireNonNull(newJobs.get(i), "null job in the enqueue list");
            String key = job.uniqueKey();
            if (key == null) {
                continue;
            }
            MemJob holder = uniqueKeyHolders.get(key);
            JobId holderId = holder != null ? holder.id : null;
            if (holderId == null) {
                if (keysOfList == null) {
                    keysOfList = new HashMap<>();
                }
                holderId = keysOfList.putIfAbsent(key, job.id());
            }
            if (holderId != null) {
                if (duplicateOf == null) {
                    duplicateOf = new JobId[n];
                }
                duplicateOf[i] = holderId;
                toStore--;
            }
        }
        if ((long) held + toStore > capacity) {
            throw new StoreCapacityExceededException("in-memory job store is full: capacity " + capacity
                    + " jobs, " + held + " held (" + countInState(JobState.DEAD) + " of them DEAD), cannot store "
                    + toStore + " more; retry or purge DEAD jobs, raise the capacity, or slow down submissions");
        }
        // Pass 2: take the ids; a collision (rare) undoes the ids taken so far, so nothing is stored.
        MemJob[] created = new MemJob[n];
        for (int i = 0; i < n; i++) {
            if (duplicateOf != null && duplicateOf[i] != null) {
                continue;
            }
            NewJob job = newJobs.get(i);
            MemJob memJob = new MemJob(job);
            if (jobs.putIfAbsent(job.id(), memJob) != null) {
                for (int k = 0; k < i; k++) {
                    if (created[k] != null) {
                        jobs.remove(created[k].id);
                    }
                }
                throw new IllegalArgumentException("job id " + job.id() + " (type '" + job.type()
                        + "') is already in the store; nothing of this enqueue was stored");
            }
            created[i] = memJob;
        }
        // Pass 3: cannot fail.
        for (int i = 0; i < n; i++) {
            MemJob job = created[i];
            if (job == null) {
                results[i] = new EnqueueResult(duplicateOf[i], true);
                continue;
            }
            NewJob source = newJobs.get(i);
            job.lane = queueNamed(source.queue()).lane(source.tenant());
            if (job.uniqueKey != null) {
                uniqueKeyHolders.put(job.uniqueKey, job);
            }
            held++;
            if (job.runAtMillis > now) {
                enterState(job, JobState.SCHEDULED);
                job.lane.queue.scheduled.add(job);
            } else {
                makeReady(job, now);
            }
            results[i] = new EnqueueResult(job.id, false);
        }
        return toStore > 0;
    }

    // ---------------------------------------------------------------- claim

    @Override
    public ClaimBatch claim(ClaimRequest request) {
        lock.lock();
        try {
            return claimLocked(request, clock.millis());
        } finally {
            lock.unlock();
        }
    }

    private ClaimBatch claimLocked(ClaimRequest request, long now) {
        List<QueueClaim> asked = request.queues();
        long epoch = ++claimEpoch;
        long nextRunAt = 0;
        ClaimCursor[] cursors = new ClaimCursor[asked.size()];
        int active = 0;
        for (QueueClaim queueClaim : asked) {
            MemQueue queue = queues.get(queueClaim.queue());
            if (queue == null || queue.paused || queue.claimEpoch == epoch) {
                continue;
            }
            queue.claimEpoch = epoch;
            promoteDue(queue, now);
            MemJob nextScheduled = queue.scheduled.peek();
            if (nextScheduled != null && (nextRunAt == 0 || nextScheduled.runAtMillis < nextRunAt)) {
                nextRunAt = nextScheduled.runAtMillis;
            }
            if (queueClaim.max() > 0 && !queue.readyLanes.isEmpty()) {
                cursors[active++] = new ClaimCursor(queue, queueClaim);
            }
        }
        int remaining = request.maxTotal();
        if (remaining <= 0 || active == 0) {
            return new ClaimBatch(List.of(), nextRunAt);
        }
        List<ClaimedJob> claimed = new ArrayList<>(Math.min(remaining, 1024));
        List<TenantLane> setAside = null;
        long leaseExpiresAt = now + request.leaseMillis();
        while (remaining > 0 && active > 0) {
            // Requests name few queues: a linear pick of the best head beats a merge heap here.
            int bestCursor = 0;
            MemJob best = cursors[0].queue.readyLanes.peek().ready.peek();
            for (int c = 1; c < active; c++) {
                MemJob head = cursors[c].queue.readyLanes.peek().ready.peek();
                if (JobHeap.readyBefore(head, best)) {
                    bestCursor = c;
                    best = head;
                }
            }
            ClaimCursor cursor = cursors[bestCursor];
            TenantLane lane = best.lane;
            if (!cursor.tenantMayTake(lane, epoch)) {
                // The tenant is at its limit for this queue: set its lane aside until the claim ends.
                cursor.queue.readyLanes.remove(lane);
                if (setAside == null) {
                    setAside = new ArrayList<>();
                }
                setAside.add(lane);
            } else {
                cursor.queue.pollReady(lane);
                startAttempt(best, request.nodeId(), leaseExpiresAt, now);
                claimed.add(best.toClaimed());
                remaining--;
                cursor.taken++;
            }
            if (cursor.taken >= cursor.claim.max() || cursor.queue.readyLanes.isEmpty()) {
                cursors[bestCursor] = cursors[--active];
            }
        }
        if (setAside != null) {
            for (TenantLane lane : setAside) {
                lane.queue.readyLanes.add(lane);
            }
        }
        return new ClaimBatch(Collections.unmodifiableList(claimed), nextRunAt);
    }

    /** One requested queue during a claim call. */
    private static final class ClaimCursor {
        final MemQueue queue;
        final QueueClaim claim;
        int taken;

        ClaimCursor(MemQueue queue, QueueClaim claim) {
            this.queue = queue;
            this.claim = claim;
        }

        /** Counts one job against the lane's tenant; false when the tenant is at its limit. */
        boolean tenantMayTake(TenantLane lane, long epoch) {
            if (lane.tenant == null || claim.maxPerTenant() == Integer.MAX_VALUE) {
                return true;
            }
            if (lane.claimEpoch != epoch) {
                lane.claimEpoch = epoch;
                Integer inFlight = claim.tenantInFlight().get(lane.tenant);
                lane.claimBudget = claim.maxPerTenant() - (inFlight == null ? 0 : inFlight);
            }
            if (lane.claimBudget <= 0) {
                return false;
            }
            lane.claimBudget--;
            return true;
        }
    }

    private void startAttempt(MemJob job, String nodeId, long leaseExpiresAt, long now) {
        enterState(job, JobState.RUNNING);
        job.attempts++;
        job.fencingToken = ++lastFencingToken;
        job.leaseOwner = nodeId;
        job.leaseExpiresAtMillis = leaseExpiresAt;
        job.startedAtMillis = now;
        running.add(job);
    }

    /** Moves the queue's SCHEDULED jobs whose run-at has come to READY; each keeps its run-at as ready-at. */
    private void promoteDue(MemQueue queue, long now) {
        MemJob due;
        while ((due = queue.scheduled.peek()) != null && due.runAtMillis <= now) {
            queue.scheduled.poll();
            enterState(due, JobState.READY);
            due.readyAtMillis = due.runAtMillis;
            due.sortKey = due.priority.sortKey(due.readyAtMillis, agingStepMillis);
            queue.addReady(due);
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
                MemJob job = runningUnder(completion.id(), completion.fencingToken());
                if (job == null) {
                    results[i] = WriteResult.STALE;
                } else {
                    madeWork |= endAttempt(job, completion, now);
                    results[i] = WriteResult.ACCEPTED;
                }
            }
        } finally {
            lock.unlock();
        }
        if (madeWork) {
            signalWork();
        }
        return Collections.unmodifiableList(Arrays.asList(results));
    }

    /** Applies a completion to a job RUNNING under its token; true when the job waits again. */
    private boolean endAttempt(MemJob job, Completion completion, long now) {
        leaveRunning(job);
        switch (completion.outcome()) {
            case SUCCEEDED:
                job.result = completion.result();
                job.progress = 1.0;
                finish(job, JobState.SUCCEEDED, now);
                return false;
            case DEAD:
                job.lastError = completion.error();
                finish(job, JobState.DEAD, now);
                return false;
            case CANCELLED:
                job.lastError = completion.error();
                finish(job, JobState.CANCELLED, now);
                return false;
            case RETRY:
                job.lastError = completion.error();
                return waitAgain(job, completion.runAtMillis(), now, false);
            case RELEASED:
                job.attempts--;
                return waitAgain(job, completion.runAtMillis(), now, true);
            default:
                throw new IllegalStateException("unknown outcome " + completion.outcome());
        }
    }

    /** RETRY and RELEASED: back to SCHEDULED or READY, unless a cancel was requested meanwhile. */
    private boolean waitAgain(MemJob job, long runAtMillis, long now, boolean keepPlace) {
        if (job.cancelRequested) {
            finish(job, JobState.CANCELLED, now);
            return false;
        }
        MemQueue queue = job.lane.queue;
        if (runAtMillis > now) {
            enterState(job, JobState.SCHEDULED);
            job.runAtMillis = runAtMillis;
            queue.scheduled.add(job);
        } else if (keepPlace) {
            enterState(job, JobState.READY);
            queue.addReady(job);
        } else {
            makeReady(job, now);
        }
        return true;
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
                MemJob job = runningUnder(lease.id(), lease.fencingToken());
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
            MemJob job = running.first();
            while (job != null && recovered.size() < max) {
                MemJob next = job.next;
                if (job.leaseExpiresAtMillis < now) {
                    String owner = job.leaseOwner;
                    leaveRunning(job);
                    job.lastError = "lease expired on node " + owner + " during attempt " + job.attempts;
                    if (job.cancelRequested) {
                        finish(job, JobState.CANCELLED, now);
                    } else if (job.attempts >= job.maxAttempts) {
                        finish(job, JobState.DEAD, now);
                    } else {
                        makeReady(job, now);
                        madeWork = true;
                    }
                    recovered.add(new RecoveredJob(job.id, job.type, job.queueName(), job.attempts, job.state,
                            owner));
                }
                job = next;
            }
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
                MemJob job = runningUnder(update.id(), update.fencingToken());
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

    private MemJob runningUnder(JobId id, long fencingToken) {
        MemJob job = jobs.get(id);
        return job != null && job.state == JobState.RUNNING && job.fencingToken == fencingToken ? job : null;
    }

    // ---------------------------------------------------------------- control

    @Override
    public CancelResult cancel(JobId id) {
        lock.lock();
        try {
            MemJob job = jobs.get(id);
            if (job == null) {
                return CancelResult.NOT_FOUND;
            }
            switch (job.state) {
                case READY:
                    job.lane.queue.removeReady(job);
                    finish(job, JobState.CANCELLED, clock.millis());
                    return CancelResult.CANCELLED;
                case SCHEDULED:
                    job.lane.queue.scheduled.remove(job);
                    finish(job, JobState.CANCELLED, clock.millis());
                    return CancelResult.CANCELLED;
                case WAITING:
                    finish(job, JobState.CANCELLED, clock.millis());
                    return CancelResult.CANCELLED;
                case RUNNING:
                    job.cancelRequested = true;
                    return CancelResult.CANCEL_REQUESTED;
                default:
                    return CancelResult.ALREADY_FINISHED;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void pauseQueue(String queue) {
        Objects.requireNonNull(queue, "queue");
        lock.lock();
        try {
            queueNamed(queue).paused = true;
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
            MemQueue memQueue = queues.get(queue);
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
            for (MemQueue queue : queues.values()) {
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
            MemJob job = jobs.get(id);
            if (job == null) {
                return false;
            }
            switch (job.state) {
                case WAITING:
                case SCHEDULED:
                    job.priority = priority;
                    return true;
                case READY:
                    job.priority = priority;
                    job.sortKey = priority.sortKey(job.readyAtMillis, agingStepMillis);
                    job.lane.queue.updateReady(job);
                    return true;
                default:
                    return false;
            }
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
            MemJob job = jobs.get(id);
            if (job == null || (job.state != JobState.DEAD && job.state != JobState.CANCELLED)) {
                return false;
            }
            if (job.uniqueKey != null) {
                MemJob holder = uniqueKeyHolders.get(job.uniqueKey);
                if (holder != null && holder != job) {
                    return false;
                }
            }
            if (job.state == JobState.CANCELLED) {
                if (held >= capacity) {
                    throw new StoreCapacityExceededException("in-memory job store is full: capacity " + capacity
                            + " jobs, " + held + " held (" + countInState(JobState.DEAD) + " of them DEAD), "
                            + "cannot retry job " + job.id + " (type '" + job.type + "')");
                }
                finished.remove(job);
                held++;
            }
            if (job.uniqueKey != null) {
                uniqueKeyHolders.put(job.uniqueKey, job);
            }
            job.attempts = 0;
            job.finishedAtMillis = MemJob.NONE;
            job.result = null;
            job.cancelRequested = false;
            makeReady(job, clock.millis());
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
            MemJob job = jobs.get(id);
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
                MemJob job = jobs.get(id);
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
            for (MemJob job : jobs.values()) {
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
     * <p>Costs no scan of jobs: counts are kept per queue as jobs change state. Every queue the store has seen
     * is listed, paused ones included. Due SCHEDULED jobs are promoted to READY first.
     */
    @Override
    public StoreStats stats() {
        lock.lock();
        try {
            long now = clock.millis();
            Map<String, QueueStats> byQueue = new HashMap<>();
            for (MemQueue queue : queues.values()) {
                promoteDue(queue, now);
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

    // ---------------------------------------------------------------- state bookkeeping

    private MemQueue queueNamed(String name) {
        MemQueue queue = lastQueue;
        if (queue == null || !queue.name.equals(name)) {
            queue = queues.get(name);
            if (queue == null) {
                queue = new MemQueue(name);
                queues.put(name, queue);
            }
            lastQueue = queue;
        }
        return queue;
    }

    /** Moves a job to a state, keeping its queue's counts. Callers move it between heaps and chains. */
    private void enterState(MemJob job, JobState state) {
        long[] counts = job.lane.queue.counts;
        if (job.state != null) {
            counts[job.state.ordinal()]--;
        }
        counts[state.ordinal()]++;
        job.state = state;
    }

    /** READY from now on (a new job, a retry that is due, a recovered or retried job). */
    private void makeReady(MemJob job, long now) {
        enterState(job, JobState.READY);
        job.readyAtMillis = now;
        job.sortKey = job.priority.sortKey(now, agingStepMillis);
        job.lane.queue.addReady(job);
    }

    private void leaveRunning(MemJob job) {
        running.remove(job);
        job.leaseOwner = null;
    }

    /** Ends a job that is out of every heap and chain: SUCCEEDED, DEAD or CANCELLED. */
    private void finish(MemJob job, JobState state, long now) {
        enterState(job, state);
        job.finishedAtMillis = now;
        if (job.uniqueKey != null) {
            uniqueKeyHolders.remove(job.uniqueKey, job);
        }
        if (state == JobState.DEAD) {
            return; // DEAD jobs stay held until retried
        }
        held--;
        finished.add(job);
        while (finished.size() > retainFinished) {
            MemJob oldest = finished.removeFirst();
            jobs.remove(oldest.id);
            oldest.lane.queue.counts[oldest.state.ordinal()]--;
        }
    }

    private long countInState(JobState state) {
        long count = 0;
        for (MemQueue queue : queues.values()) {
            count += queue.counts[state.ordinal()];
        }
        return count;
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "InMemoryJobStore{held=" + held + ", capacity=" + capacity + ", finishedKept=" + finished.size()
                    + ", running=" + running.size() + '}';
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
