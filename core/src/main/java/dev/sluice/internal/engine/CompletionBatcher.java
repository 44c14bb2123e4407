package dev.sluice.internal.engine;

import dev.sluice.JobEvent;
import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.JobStore;
import dev.sluice.store.LeaseRef;
import dev.sluice.store.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;

/**
 * Gathers the ends of attempts and writes them in one store call per batch: a batch is flushed when it holds
 * {@code batchSize} completions or when its first completion has waited {@code maxDelay}. A failed write is
 * retried with backoff and nothing is dropped; the jobs stay in the held map meanwhile, so their leases keep
 * being renewed. One completion the store refuses for good is set apart (see {@link #writeIsolating}) so that
 * it cannot hold up the others.
 */
final class CompletionBatcher extends EngineLoop {

    private static final Logger log = LoggerFactory.getLogger(CompletionBatcher.class);
    private static final long FIRST_ERROR_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_ERROR_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Failures of one write, while the store renews the same leases, before its completions are split up. */
    private static final int ISOLATE_AFTER_FAILURES = 3;
    private static final int GIVE_UP_WHILE_STOPPING = 5;
    private static final long SHUTDOWN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final JobStore store;
    private final Map<JobId, RunningJob> held;
    private final int batchSize;
    private final long maxDelayNanos;
    private final EngineMetrics metrics;
    private final Listeners listeners;
    private final BiConsumer<ClaimedJob, Completion> onFinished;
    private final IntSupplier attemptsInFlight;
    private final Runnable afterWrite;
    private final long leaseMillis;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger flushRequests = new AtomicInteger();
    private final Clock clock;
    /** True from taking a batch off the queue until its write ended: a flush waits for it. */
    private volatile boolean writing;

    private final List<Pending> batch;
    private boolean warnedStale;

    CompletionBatcher(JobStore store, Map<JobId, RunningJob> held, int batchSize, long maxDelayNanos,
                      EngineMetrics metrics, Listeners listeners, BiConsumer<ClaimedJob, Completion> onFinished,
                      IntSupplier attemptsInFlight, Clock clock, Runnable afterWrite, long leaseMillis) {
        super("sluice-completions");
        this.leaseMillis = leaseMillis;
        this.clock = clock;
        this.attemptsInFlight = attemptsInFlight;
        this.afterWrite = afterWrite;
        this.batch = new ArrayList<>(batchSize);
        this.store = store;
        this.held = held;
        this.batchSize = batchSize;
        this.maxDelayNanos = maxDelayNanos;
        this.metrics = metrics;
        this.listeners = listeners;
        this.onFinished = onFinished;
    }

    void add(RunningJob job, Completion completion) {
        job.completionQueued = true;
        queue.offer(new Pending(job, completion, null, false));
        int n = pending.incrementAndGet();
        if (n == 1 || n >= batchSize) {
            wake();
        }
    }

    /**
     * Queues a completion the handler already wrote inside its own transaction: it is not written again, only
     * accounted for (events, meters, the job's slot) with the next batch.
     */
    void addWritten(RunningJob job, Completion completion) {
        job.completionQueued = true;
        queue.offer(new Pending(job, completion, null, true));
        int n = pending.incrementAndGet();
        if (n == 1 || n >= batchSize) {
            wake();
        }
    }

    /** Queues the hand-back of a job deferred by a breaker or rate limit; a DEFERRED event follows its write. */
    void addDeferred(RunningJob job, Completion released, String reason) {
        job.completionQueued = true;
        queue.offer(new Pending(job, released, reason, false));
        int n = pending.incrementAndGet();
        if (n == 1 || n >= batchSize) {
            wake();
        }
    }

    /** The last running attempt ended: a lingering batch need not wait for more. */
    void noMoreRunning() {
        wake();
    }

    /** Drops a job that needs no write (its lease was lost before it started). */
    void forget(RunningJob job) {
        // by instance: the node may hold a newer claim of the same job under the same id
        held.remove(job.claimed.id(), job);
    }

    int pendingCount() {
        return pending.get();
    }

    /**
     * Writes what is pending now, without the linger, and waits until it is written (or {@code timeoutNanos}
     * passed). Completions added meanwhile are written too. A forced flush from the admin API.
     *
     * @return true when nothing was left to write
     */
    boolean flush(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        flushRequests.incrementAndGet();
        try {
            while ((pending.get() > 0 || writing) && System.nanoTime() < deadline) {
                wake();
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
            }
        } finally {
            flushRequests.decrementAndGet();
        }
        return pending.get() == 0 && !writing;
    }

    /** Writes what is pending; once stopping, returns false only when nothing is left to write. */
    @Override
    boolean round() {
        if (pending.get() == 0) {
            if (stopping) {
                return false;
            }
            parkUnless(() -> pending.get() > 0, IDLE_NANOS);
            return true;
        }
        if (pending.get() < batchSize && maxDelayNanos > 0 && !stopping && attemptsInFlight.getAsInt() > 0
                && flushRequests.get() == 0) {
            // Linger so that completions arriving together share one store call; when no attempt is
            // running no more are coming, so the batch goes at once.
            parkUnless(() -> pending.get() >= batchSize || attemptsInFlight.getAsInt() == 0
                    || flushRequests.get() > 0, maxDelayNanos);
        }
        writing = true;
        Pending p;
        while (batch.size() < batchSize && (p = queue.poll()) != null) {
            batch.add(p);
        }
        pending.addAndGet(-batch.size());
        try {
            if (!batch.isEmpty()) {
                write(batch);
            }
        } finally {
            batch.clear();
            writing = false;
        }
        afterWrite.run();
        return true;
    }

    private void write(List<Pending> batch) {
        // Taken before the write: a job the write makes ready again may be claimed, and its claim recorded,
        // before this thread records the write's changes.
        long changedAt = clock.millis();
        long firstChange = listeners.reserve(batch.size());
        try {
            write(batch, changedAt, firstChange);
        } finally {
            listeners.settle(firstChange);
        }
    }

    private void write(List<Pending> batch, long changedAt, long firstChange) {
        List<Pending> unwritten = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            if (!p.written) {
                unwritten.add(p);
            }
        }
        if (!unwritten.isEmpty()) {
            writeIsolating(unwritten);
        }
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            held.remove(p.completion.id(), p.job);
            if (p.written || p.result == WriteResult.ACCEPTED) {
                accepted(p, changedAt, firstChange + i);
            } else if (p.result == WriteResult.STALE) {
                stale(p);
            }
            // else given up (logged): the job stays RUNNING in the store and comes back after its lease expires
        }
    }

    /**
     * Writes the completions of {@code part} and sets each one's result. A failing write is retried with capped
     * backoff for as long as the store fails as a whole (an outage). When it keeps failing while the store
     * accepts a renewal of the very same leases, one completion is likely refused for good (a result or error
     * text the database will not take): the part is split in halves until that completion stands alone, so that
     * the others are written; it is then recorded DEAD with the store's error instead, and if even that is
     * refused it is given up, to be recovered after its lease expires, rather than holding up every later batch.
     */
    private void writeIsolating(List<Pending> part) {
        List<Completion> completions = new ArrayList<>(part.size());
        for (Pending p : part) {
            completions.add(p.completion);
        }
        long backoff = FIRST_ERROR_BACKOFF_NANOS;
        int failures = 0;
        int failuresWhileStopping = 0;
        while (true) {
            try {
                List<WriteResult> results = store.completeAll(completions);
                for (int i = 0; i < part.size(); i++) {
                    part.get(i).result = results.get(i);
                }
                return;
            } catch (RuntimeException e) {
                metrics.storeErrors.increment();
                if (stopping && ++failuresWhileStopping > GIVE_UP_WHILE_STOPPING) {
                    // Nothing is lost: the jobs stay RUNNING in the store and come back when their leases expire.
                    log.error("giving up writing {} completions at shutdown: the store keeps failing; those jobs"
                            + " run again once their leases expire", completions.size(), e);
                    return;
                }
                if (++failures >= ISOLATE_AFTER_FAILURES && !stopping && storeRenews(part)) {
                    if (part.size() > 1) {
                        int half = part.size() / 2;
                        writeIsolating(part.subList(0, half));
                        writeIsolating(part.subList(half, part.size()));
                        return;
                    }
                    Pending p = part.get(0);
                    if (p.refused == null) {
                        p.refuse(e);
                        metrics.refusedCompletions.increment();
                        log.error("the store refused the completion of job {} ({}, attempt {}) {} times while it"
                                + " renewed the job's lease; recording the job DEAD instead", p.completion.id(),
                                p.refused.outcome(), p.job.claimed.attempt(), failures, e);
                        completions = List.of(p.completion);
                        failures = 0;
                        backoff = FIRST_ERROR_BACKOFF_NANOS;
                        continue;
                    }
                    log.error("the store refused to record job {} DEAD after refusing its {} completion; giving it"
                            + " up: it stays RUNNING in the store and runs again once its lease expires",
                            p.completion.id(), p.refused.outcome(), e);
                    return;
                }
                log.warn("writing {} completions failed; retrying in {} ms (jobs keep their leases meanwhile)",
                        completions.size(), TimeUnit.NANOSECONDS.toMillis(backoff), e);
                LockSupport.parkNanos(this, backoff);
                // At shutdown keep the tries close together: a store that is down must not hold close() for
                // the full backoff ladder.
                backoff = Math.min(stopping ? SHUTDOWN_BACKOFF_NANOS : MAX_ERROR_BACKOFF_NANOS, backoff * 2);
            }
        }
    }

    /** Whether the store takes writes right now: it renews the leases of {@code part}'s jobs. */
    private boolean storeRenews(List<Pending> part) {
        List<LeaseRef> refs = new ArrayList<>(part.size());
        for (Pending p : part) {
            refs.add(new LeaseRef(p.completion.id(), p.completion.fencingToken()));
        }
        try {
            store.renewLeases(refs, leaseMillis);
            return true;
        } catch (RuntimeException e) {
            metrics.storeErrors.increment();
            return false;
        }
    }

    private void accepted(Pending p, long changedAt, long change) {
        ClaimedJob c = p.job.claimed;
        Completion done = p.completion;
        metrics.completed(p.job, done.outcome());
        if (listeners.recordsTransitions()) {
            record(c, done, p.deferral, changedAt, change);
        }
        switch (done.outcome()) {
            case SUCCEEDED:
                listeners.fire(JobEvent.Kind.SUCCEEDED, c.id(), c.type(), c.queue(), c.attempt(), null);
                onFinished.accept(c, done);
                break;
            case RETRY:
                listeners.fire(JobEvent.Kind.FAILED, c.id(), c.type(), c.queue(), c.attempt(), done.error());
                break;
            case DEAD:
                log.warn("job {} of type '{}' is DEAD after attempt {}: {}", c.id(), c.type(), c.attempt(),
                        done.error());
                listeners.fire(JobEvent.Kind.DEAD, c.id(), c.type(), c.queue(), c.attempt(), done.error());
                onFinished.accept(c, done);
                break;
            case CANCELLED:
                listeners.fire(JobEvent.Kind.CANCELLED, c.id(), c.type(), c.queue(), c.attempt(), done.error());
                onFinished.accept(c, done);
                break;
            case RELEASED:
                if (p.deferral != null) {
                    listeners.fire(JobEvent.Kind.DEFERRED, c.id(), c.type(), c.queue(), c.attempt(), p.deferral);
                }
                break;
            default:
                throw new IllegalStateException("unknown outcome " + done.outcome());
        }
    }

    private void record(ClaimedJob c, Completion done, String deferral, long at, long change) {
        switch (done.outcome()) {
            case SUCCEEDED:
                listeners.transition(at, change, c.id(), JobState.RUNNING, JobState.SUCCEEDED, c.attempt(), null);
                break;
            case RETRY:
                listeners.transition(at, change, c.id(), JobState.RUNNING, JobState.SCHEDULED, c.attempt(), done.error());
                break;
            case DEAD:
                listeners.transition(at, change, c.id(), JobState.RUNNING, JobState.DEAD, c.attempt(), done.error());
                break;
            case CANCELLED:
                listeners.transition(at, change, c.id(), JobState.RUNNING, JobState.CANCELLED, c.attempt(), done.error());
                break;
            case RELEASED:
                listeners.transition(at, change, c.id(), JobState.RUNNING,
                        done.runAtMillis() > at ? JobState.SCHEDULED : JobState.READY, c.attempt(),
                        "handed back without running" + (deferral != null ? ": " + deferral : ""));
                break;
            default:
                throw new IllegalStateException("unknown outcome " + done.outcome());
        }
    }

    private void stale(Pending p) {
        ClaimedJob c = p.job.claimed;
        metrics.staleCompletions.increment();
        if (!warnedStale) {
            warnedStale = true;
            log.warn("completion of job {} (attempt {}, token {}) was refused: its lease was lost, another node"
                    + " may have run it; further refusals are counted in sluice.completions.stale",
                    c.id(), c.attempt(), c.fencingToken());
        }
        listeners.fire(JobEvent.Kind.LEASE_LOST, c.id(), c.type(), c.queue(), c.attempt(),
                "completion refused: lease lost");
    }

    private static final class Pending {
        final RunningJob job;
        /** What to write: the attempt's own end, or its DEAD replacement once the store refused that for good. */
        Completion completion;
        /** Why a RELEASED completion was deferred, or null. */
        final String deferral;
        /** Already written by the handler in its own transaction. */
        final boolean written;
        /** The completion the store refused for good, or null. */
        Completion refused;
        /** What the store answered; null until then, and for ever if the write was given up. */
        WriteResult result;

        Pending(RunningJob job, Completion completion, String deferral, boolean written) {
            this.job = job;
            this.completion = completion;
            this.deferral = deferral;
            this.written = written;
        }

        void refuse(RuntimeException error) {
            refused = completion;
            completion = Completion.dead(completion.id(), completion.fencingToken(),
                    "the store refused to record this attempt's outcome (" + refused.outcome() + "): "
                            + ErrorText.of(error));
        }
    }
}
