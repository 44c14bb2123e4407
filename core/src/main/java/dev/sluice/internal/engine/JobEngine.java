package dev.sluice.internal.engine;

import dev.sluice.DuplicateJobException;
import dev.sluice.JobEvent;
import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobQuery;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.QueueConfig;
import dev.sluice.internal.cache.ResultCaches;
import dev.sluice.internal.resilience.AttemptGuards;
import dev.sluice.internal.observe.Observer;
import dev.sluice.internal.observe.TimedJobStore;
import dev.sluice.observe.Alert;
import dev.sluice.observe.HealthReport;
import dev.sluice.observe.ScalingAdvice;
import dev.sluice.store.CancelResult;
import dev.sluice.store.Completion;
import dev.sluice.store.Dependency;
import dev.sluice.store.EnqueueResult;
import dev.sluice.store.JobStore;
import dev.sluice.store.NewJob;
import dev.sluice.store.StoreStats;
import dev.sluice.store.StoredJob;
import dev.sluice.store.TransactionalCompletion;
import dev.sluice.store.TransactionalEnqueue;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The machine behind {@code Sluice}: wires the dispatcher, the queues' workers, the completion batcher and
 * the lease keeper, and implements submit, await, the control calls and the graceful close.
 */
public final class JobEngine {

    private static final Logger log = LoggerFactory.getLogger(JobEngine.class);

    private final EngineSettings settings;
    private final JobStore store;
    private final EngineMetrics metrics;
    private final Listeners listeners;
    private final Map<JobId, RunningJob> held = new ConcurrentHashMap<>();
    private final Awaiters awaiters;
    private final AtomicInteger totalInFlight = new AtomicInteger();
    private final Map<String, QueueWorkers> queues = new LinkedHashMap<>();
    private final Dispatcher dispatcher;
    private final AttemptGuards guards;
    private final CompletionBatcher completions;
    private final AttemptRunner runner;
    private final LeaseKeeper leaseKeeper;
    private final Observer observer;
    private final ScheduledThreadPoolExecutor timeouts;
    private final ScheduledThreadPoolExecutor keeperThread;
    private final Semaphore globalSlots;
    private final boolean virtual;
    private final List<Thread> workers = new ArrayList<>();
    private final Object lifecycle = new Object();

    private volatile boolean started;
    private volatile boolean closed;
    private volatile boolean workersStopping;
    private AutoCloseable subscription;

    public JobEngine(EngineSettings settings) {
        this.settings = settings;
        this.store = TimedJobStore.wrap(settings.store, settings.meterRegistry);
        this.awaiters = new Awaiters(store, settings.clock, settings.codec);
        this.metrics = new EngineMetrics(settings, queues, held, totalInFlight::get);
        this.listeners = new Listeners(settings.listeners, settings.clock, metrics, settings.transitions);
        int queueSlots = 0;
        for (QueueConfig q : settings.queues.values()) {
            queues.put(q.name(), new QueueWorkers(q, settings.claimAhead, metrics));
            queueSlots += q.concurrency();
        }
        // Queues' own limits may add up to more than the engine's: then a shared semaphore caps the total.
        this.globalSlots = queueSlots > settings.concurrency ? new Semaphore(settings.concurrency) : null;
        int maxTotal = Math.min(queueSlots, settings.concurrency) + settings.claimAhead;
        this.guards = new AttemptGuards(settings.guards, settings.meterRegistry, settings.store);
        metrics.openBreakers(guards::openBreakerTypes);
        this.dispatcher = new Dispatcher(store, queues, held, totalInFlight, maxTotal, settings.claimAhead,
                settings.completionBatchSize, settings.nodeId, settings.leaseDuration.toMillis(),
                settings.pollInterval.toMillis(), settings.clock, metrics, guards, listeners);
        this.completions = new CompletionBatcher(store, held, settings.completionBatchSize,
                settings.completionMaxDelay.toNanos(), metrics, listeners, awaiters::finished, totalInFlight::get,
                settings.clock, dispatcher::completionsWritten, settings.leaseDuration.toMillis());
        this.timeouts = scheduler("sluice-timeouts");
        this.keeperThread = scheduler("sluice-lease-keeper");
        this.runner = new AttemptRunner(settings.handlers, settings.retryPolicy,
                settings.defaultTimeout == null ? 0 : settings.defaultTimeout.toMillis(), settings.codec,
                settings.clock, timeouts, completions, listeners, settings.nodeId, guards,
                new ResultCaches(settings.guards.resultCaches, settings.meterRegistry, settings.store),
                transactionalCompletion(settings.store));
        this.leaseKeeper = new LeaseKeeper(store, held, settings.leaseDuration.toMillis(), metrics, listeners,
                dispatcher);
        this.observer = new Observer(settings.observability, store, settings.meterRegistry, settings.clock, metrics,
                queues.keySet(), settings.nodeId);
        this.virtual = settings.virtualThreads && WorkerThreads.virtualThreadsAvailable();
        if (settings.virtualThreads && !virtual) {
            log.warn("virtual threads were asked for but this JVM ({}) has none; using platform threads",
                    Runtime.version());
        }
    }

    private static ScheduledThreadPoolExecutor scheduler(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("engine " + settings.nodeId + " is closed and cannot start again");
            }
            if (started) {
                return;
            }
            started = true;
            completions.start();
            observer.start();
            if (settings.producerOnly) {
                return;
            }
            for (QueueWorkers q : queues.values()) {
                ThreadFactory factory = WorkerThreads.factory("sluice-" + q.name + "-worker-", virtual);
                for (int i = 0; i < q.config.concurrency(); i++) {
                    Thread t = factory.newThread(() -> workLoop(q));
                    workers.add(t);
                    t.start();
                }
            }
            long renewEvery = Math.max(1, settings.leaseDuration.toMillis() / 3);
            keeperThread.scheduleWithFixedDelay(leaseKeeper::renewAll, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
            long recoverEvery = settings.recoveryInterval.toMillis();
            keeperThread.scheduleWithFixedDelay(leaseKeeper::recoverExpired, 0, recoverEvery, TimeUnit.MILLISECONDS);
            subscription = store.subscribe(dispatcher::wakeUp);
            dispatcher.start();
            log.info("sluice node {} started: {} queues, concurrency {}, {} threads", settings.nodeId,
                    queues.size(), settings.concurrency, virtual ? "virtual" : "platform");
        }
    }

    private void workLoop(QueueWorkers q) {
        while (true) {
            RunningJob job;
            try {
                job = q.buffer.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (workersStopping) {
                    return;
                }
                continue;
            }
            if (job == null) {
                if (workersStopping) {
                    return;
                }
                continue;
            }
            boolean permit = false;
            try {
                if (globalSlots != null) {
                    globalSlots.acquireUninterruptibly();
                    permit = true;
                }
                q.run(runner, job);
            } catch (Throwable t) {
                // The runner keeps handler errors to itself; reaching here is a bug, never a reason to die.
                log.error("worker of queue '{}' failed on job {}", q.name, job.claimed.id(), t);
            } finally {
                if (permit) {
                    globalSlots.release();
                }
                q.released(job.claimed.tenant());
                int inFlight = totalInFlight.decrementAndGet();
                if (inFlight == 0) {
                    completions.noMoreRunning();
                }
                dispatcher.slotFreed(inFlight);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static TransactionalCompletion<Object> transactionalCompletion(JobStore store) {
        return store instanceof TransactionalCompletion ? (TransactionalCompletion<Object>) store : null;
    }

    public List<JobId> submitAll(List<JobRequest> requests) {
        return submitWithParents(requests, null);
    }

    /** Stores jobs with parents (a dependency graph, parents first) in one store call; null links for none. */
    public List<JobId> submitWithParents(List<JobRequest> requests, ParentLinks parents) {
        List<NewJob> jobs = prepare(requests, parents);
        if (jobs.isEmpty()) {
            return List.of();
        }
        long firstChange = listeners.reserve(jobs.size());
        List<EnqueueResult> results;
        List<JobId> ids;
        try {
            results = store.enqueue(jobs);
            ids = new ArrayList<>(results.size());
            for (int i = 0; i < results.size(); i++) {
                EnqueueResult result = results.get(i);
                ids.add(result.id());
                if (!result.duplicate()) {
                    submitted(jobs.get(i), firstChange + i);
                }
            }
        } finally {
            listeners.settle(firstChange);
        }
        metrics.submitted(jobs, results);
        dispatcher.wakeUp();
        throwIfDuplicateRefused(requests, results, ids);
        return ids;
    }

    private void submitted(NewJob job, long change) {
        if (listeners.wants(JobEvent.Kind.SUBMITTED)) {
            listeners.fire(JobEvent.Kind.SUBMITTED, job.id(), job.type(), job.queue(), 0, null);
        }
        if (listeners.recordsTransitions()) {
            // As submitted: a job whose parents had all finished may be READY (or CANCELLED) at once.
            JobState initial = job.hasParents() ? JobState.WAITING
                    : job.runAtMillis() > settings.clock.millis() ? JobState.SCHEDULED : JobState.READY;
            listeners.transition(job.createdAtMillis(), change, job.id(), null, initial, 0, null);
        }
    }

    /**
     * Stores one fire of a recurring job through {@link JobStore#enqueueFire}, validated and encoded like a
     * submit. Empty when the store already holds that fire (or a later one); a fire that came back as a
     * duplicate of a live job holding its unique key is used up all the same.
     */
    public Optional<EnqueueResult> submitFire(String scheduleId, long fireTimeMillis, JobRequest request) {
        List<NewJob> jobs = prepare(List.of(request), null);
        long change = listeners.reserve(1);
        Optional<EnqueueResult> result;
        try {
            result = store.enqueueFire(scheduleId, fireTimeMillis, jobs.get(0));
            if (result.isPresent() && !result.get().duplicate()) {
                submitted(jobs.get(0), change);
            }
        } finally {
            listeners.settle(change);
        }
        if (result.isPresent()) {
            metrics.submitted(jobs, List.of(result.get()));
            dispatcher.wakeUp();
        }
        return result;
    }

    /** Validates a request as a submit would (handler, payload class, encoding, size), storing nothing. */
    public void checkSubmittable(JobRequest request) {
        prepare(List.of(request), null);
    }

    /** After storing: a duplicate whose request asked to fail throws, naming the key and the holder. */
    private static void throwIfDuplicateRefused(List<JobRequest> requests, List<EnqueueResult> results,
                                                List<JobId> ids) {
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).duplicate() && requests.get(i).failIfDuplicate()) {
                throw new DuplicateJobException(requests.get(i).uniqueKey(), results.get(i).id(), ids);
            }
        }
    }

    /**
     * Stores jobs inside the caller's transaction, when the store supports it. No SUBMITTED event and no
     * wake-up here: the transaction may still roll back; other nodes learn of the jobs from the store's
     * notifications or their poll once it commits.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public List<JobId> submitAll(Object transaction, List<JobRequest> requests) {
        Objects.requireNonNull(transaction, "transaction");
        if (!(store instanceof TransactionalEnqueue)) {
            throw new IllegalStateException("store " + store + " cannot store jobs inside a caller's transaction;"
                    + " use a store that implements TransactionalEnqueue (the JDBC store does)");
        }
        TransactionalEnqueue target = (TransactionalEnqueue) store;
        if (!target.transactionType().isInstance(transaction)) {
            throw new IllegalArgumentException("this store takes a transaction of type "
                    + target.transactionType().getName() + " but was given a " + transaction.getClass().getName());
        }
        List<NewJob> jobs = prepare(requests, null);
        if (jobs.isEmpty()) {
            return List.of();
        }
        List<EnqueueResult> results = target.enqueue(transaction, jobs);
        List<JobId> ids = new ArrayList<>(results.size());
        for (EnqueueResult result : results) {
            ids.add(result.id());
        }
        throwIfDuplicateRefused(requests, results, ids);
        return ids;
    }

    /** Validates and encodes requests; throws naming the first bad value, before anything is stored. */
    private List<NewJob> prepare(List<JobRequest> requests, ParentLinks parents) {
        Objects.requireNonNull(requests, "requests");
        if (closed) {
            throw new IllegalStateException("engine " + settings.nodeId + " is closed");
        }
        long now = settings.clock.millis();
        List<NewJob> jobs = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            JobRequest request = requests.get(i);
            if (request == null) {
                throw new IllegalArgumentException("request " + i + " of " + requests.size() + " is null");
            }
            if (parents == null) {
                jobs.add(toNewJob(request, now, List.of()));
                continue;
            }
            try {
                jobs.add(toNewJob(request, now, parents.parentsOf(i, jobs)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(parents.describe(i) + ": " + e.getMessage(), e);
            }
        }
        return jobs;
    }

    private NewJob toNewJob(JobRequest request, long now, List<Dependency> parents) {
        RegisteredHandler handler = settings.handlers.get(request.type());
        if (handler == null && !settings.producerOnly) {
            throw new IllegalArgumentException("no handler registered for job type '" + request.type()
                    + "' on node " + settings.nodeId + " (registered: " + settings.handlers.keySet()
                    + "); register one, or build a producerOnly node to submit types other nodes run");
        }
        Object payload = request.payload();
        if (handler != null && payload != null && !handler.payloadType().isInstance(payload)) {
            throw new IllegalArgumentException("payload of job type '" + request.type() + "' must be a "
                    + handler.payloadType().getName() + " but was a " + payload.getClass().getName());
        }
        byte[] bytes;
        try {
            bytes = settings.codec.encode(payload);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("payload of job type '" + request.type() + "' cannot be encoded: "
                    + e.getMessage(), e);
        }
        if (bytes.length > settings.maxPayloadBytes) {
            throw new IllegalArgumentException("payload of job type '" + request.type() + "' is " + bytes.length
                    + " bytes, over maxPayloadBytes " + settings.maxPayloadBytes);
        }
        long runAt = request.runAt() != null ? request.runAt().toEpochMilli()
                : request.delay() != null ? now + request.delay().toMillis() : 0;
        int maxAttempts = request.maxAttempts() > 0 ? request.maxAttempts()
                : RegisteredHandler.retryPolicyOf(handler, settings.retryPolicy).maxAttempts();
        long timeout = request.timeout() == null ? 0 : request.timeout().toMillis();
        return new NewJob(JobId.next(), request.type(), request.queue(), request.priority(), bytes, runAt,
                maxAttempts, timeout, request.uniqueKey(), request.tenant(), now, parents, request.uniqueScope(),
                request.uniqueFor().toMillis());
    }

    public Optional<JobInfo> find(JobId id) {
        Objects.requireNonNull(id, "id");
        return store.find(id).map(awaiters::toInfo);
    }

    public List<JobInfo> list(JobQuery query) {
        Objects.requireNonNull(query, "query");
        List<JobInfo> infos = new ArrayList<>();
        for (StoredJob job : store.list(query)) {
            infos.add(awaiters.toInfo(job));
        }
        return infos;
    }

    public JobInfo await(JobId id, Duration timeout) throws InterruptedException {
        return awaiters.await(id, timeout);
    }

    public boolean cancel(JobId id) {
        CancelResult result = cancelJob(id);
        return result == CancelResult.CANCELLED || result == CancelResult.CANCEL_REQUESTED;
    }

    /** Cancels a job, telling what happened. */
    public CancelResult cancelJob(JobId id) {
        Objects.requireNonNull(id, "id");
        JobState before = listeners.recordsTransitions() ? store.find(id).map(StoredJob::state).orElse(null) : null;
        long at = settings.clock.millis();
        long change = listeners.reserve(1);
        try {
            return cancelJob(id, before, at, change);
        } finally {
            listeners.settle(change);
        }
    }

    private CancelResult cancelJob(JobId id, JobState before, long at, long change) {
        CancelResult result = store.cancel(id);
        if (result == CancelResult.CANCEL_REQUESTED) {
            RunningJob local = held.get(id);
            if (local != null) {
                local.cancelled = true;
                local.interruptHandler();
            }
        } else if (result == CancelResult.CANCELLED) {
            awaiters.finished(id);
            if (listeners.wants(JobEvent.Kind.CANCELLED)) {
                store.find(id).ifPresent(j -> listeners.fire(JobEvent.Kind.CANCELLED, id, j.type(), j.queue(),
                        j.attempts(), "cancelled while waiting"));
            }
            if (before != null && !before.isTerminal()) {
                listeners.transition(at, change, id, before, JobState.CANCELLED, 0, "cancelled while waiting");
            }
        }
        return result;
    }

    public boolean retry(JobId id) {
        Objects.requireNonNull(id, "id");
        JobState before = listeners.recordsTransitions() ? store.find(id).map(StoredJob::state).orElse(null) : null;
        long at = settings.clock.millis();
        long change = listeners.reserve(1);
        boolean retried;
        try {
            retried = store.retry(id);
            if (retried && before != null) {
                listeners.transition(at, change, id, before, JobState.READY, 0, "retried by hand");
            }
        } finally {
            listeners.settle(change);
        }
        if (retried) {
            dispatcher.wakeUp();
        }
        return retried;
    }

    public boolean reprioritize(JobId id, Priority priority) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(priority, "priority");
        return store.reprioritize(id, priority);
    }

    public void pauseQueue(String queue) {
        store.pauseQueue(queue);
    }

    public void resumeQueue(String queue) {
        store.resumeQueue(queue);
        dispatcher.wakeUp();
    }

    public StoreStats stats() {
        return store.stats();
    }

    public String nodeId() {
        return settings.nodeId;
    }

    public boolean usesVirtualThreads() {
        return virtual;
    }

    public int jobsInFlight() {
        return held.size();
    }

    public HealthReport health() {
        return observer.health();
    }

    public List<Alert> activeAlerts() {
        return observer.activeAlerts();
    }

    public ScalingAdvice scalingAdvice() {
        return observer.scalingAdvice();
    }

    public JobStore store() {
        return settings.store;
    }

    /** The store as the engine calls it: timed into {@code sluice.store.calls}. */
    public JobStore timedStore() {
        return store;
    }

    public Clock clock() {
        return settings.clock;
    }

    public MeterRegistry meterRegistry() {
        return settings.meterRegistry;
    }

    /** Worker slots of this node (0 on a producer-only node). */
    public int workerSlots() {
        return settings.producerOnly ? 0 : settings.concurrency;
    }

    /** Hears every store stats snapshot the observer takes (every refresh interval). Before {@link #start()}. */
    public void onStats(Consumer<StoreStats> sink) {
        observer.onStats(sink);
    }

    /**
     * Writes pending completions and progress now rather than at the end of their linger or renewal period, and
     * waits for the writes up to {@code timeout}.
     *
     * @return true when everything pending was written
     */
    public boolean flush(Duration timeout) {
        if (!started || closed) {
            return true;
        }
        boolean written = completions.flush(timeout.toNanos());
        try {
            keeperThread.submit(leaseKeeper::flushProgress).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
        return written;
    }

    /** Breakers and rate limits of this node. */
    public AttemptGuards guards() {
        return guards;
    }

    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            if (started) {
                drainAndStop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("close of node {} was interrupted; unfinished jobs return to the store when their leases expire",
                    settings.nodeId);
        } finally {
            observer.close();
            keeperThread.shutdownNow();
            timeouts.shutdownNow();
            closeQuietly(subscription);
            if (settings.ownsStore) {
                store.close();
            }
        }
    }

    private void drainAndStop() throws InterruptedException {
        dispatcher.stop();
        workersStopping = true;
        handBackUnstarted();
        long deadline = System.nanoTime() + settings.drainTimeout.toNanos();
        while (totalInFlight.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            handBackUnstarted();
        }
        if (totalInFlight.get() > 0) {
            log.warn("drain timeout {} passed with {} jobs running on node {}: interrupting them and handing them"
                    + " back", settings.drainTimeout, totalInFlight.get(), settings.nodeId);
            for (RunningJob job : held.values()) {
                job.abandoned = true;
                job.interruptHandler();
            }
        }
        for (Thread worker : workers) {
            worker.interrupt();
        }
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(5));
            if (worker.isAlive()) {
                log.warn("worker {} is still inside a handler that ignores interrupts; its job returns to the"
                        + " store when its lease expires", worker.getName());
            }
        }
        completions.stop();
        log.info("sluice node {} stopped", settings.nodeId);
    }

    /**
     * Gives jobs that were claimed but not started back to the store at once, for any node to take. "At once" is
     * the store's now, not this node's clock: a node whose clock ran ahead used to park them until its time.
     */
    private void handBackUnstarted() {
        for (QueueWorkers q : queues.values()) {
            RunningJob job;
            while ((job = q.buffer.poll()) != null) {
                job.abandoned = true;
                completions.add(job, Completion.releasedNow(job.claimed.id(), job.claimed.fencingToken()));
                q.released(job.claimed.tenant());
                totalInFlight.decrementAndGet();
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.debug("closing store subscription failed", e);
            }
        }
    }
}
