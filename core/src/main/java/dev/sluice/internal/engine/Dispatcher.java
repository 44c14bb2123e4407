package dev.sluice.internal.engine;

import dev.sluice.JobState;
import dev.sluice.internal.resilience.AttemptGuards;
import dev.sluice.store.ClaimBatch;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.JobStore;
import dev.sluice.store.QueueClaim;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Claims ready jobs for this node's free slots, one store call per claim, and hands them to the queues'
 * workers. When there is nothing to claim, or no free slot, it parks until a wake-up (the store's work signal
 * or a freed slot), the next scheduled job's due time or the poll interval: never a busy loop. A queue whose
 * rate limit is spent for the current window is left out of claims until the next window opens (workers take
 * the permits; a job claimed over the limit in a race is deferred by its worker).
 */
final class Dispatcher extends EngineLoop {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final long MAX_ERROR_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final JobStore store;
    private final Map<String, QueueWorkers> queues;
    private final Map<dev.sluice.JobId, RunningJob> held;
    private final AtomicInteger totalInFlight;
    private final int maxTotal;
    private final int refillThreshold;
    private final String nodeId;
    private final long leaseMillis;
    private final long pollNanos;
    private final Clock clock;
    private final EngineMetrics metrics;
    private final AttemptGuards guards;
    private final Listeners listeners;
    /** Jobs whose completion is not written yet that this node keeps claiming past (one completion batch). */
    private final int completionBacklog;

    private volatile boolean signalled;
    /** Set while claims are held back by unwritten completions: a written batch then wakes the dispatcher. */
    private volatile boolean waitingForCompletions;
    private long errorBackoff;
    /** Set by a claim that left out a rate-limited queue: nanoseconds until its next window, else 0. */
    private long limitWaitNanos;

    Dispatcher(JobStore store, Map<String, QueueWorkers> queues, Map<dev.sluice.JobId, RunningJob> held,
               AtomicInteger totalInFlight, int maxTotal, int claimAhead, int completionBacklog, String nodeId,
               long leaseMillis, long pollMillis, Clock clock, EngineMetrics metrics, AttemptGuards guards,
               Listeners listeners) {
        super("sluice-dispatcher");
        this.completionBacklog = completionBacklog;
        this.store = store;
        this.queues = queues;
        this.held = held;
        this.totalInFlight = totalInFlight;
        this.maxTotal = maxTotal;
        // With claim-ahead, workers still have buffered jobs when slots free up: refill in batches of half the
        // buffer so that claims stay large. Without it, every free slot is worth a claim.
        this.refillThreshold = Math.max(1, claimAhead / 2);
        this.nodeId = nodeId;
        this.leaseMillis = leaseMillis;
        this.pollNanos = TimeUnit.MILLISECONDS.toNanos(pollMillis);
        this.clock = clock;
        this.metrics = metrics;
        this.guards = guards;
        this.listeners = listeners;
    }

    /** New work may be due (store wake-up): claim again soon. */
    void wakeUp() {
        signalled = true;
        wake();
    }

    /** The completion writer wrote a batch: wake the dispatcher if unwritten completions held claims back. */
    void completionsWritten() {
        if (waitingForCompletions) {
            wakeUp();
        }
    }

    /** A worker finished an attempt; wake the dispatcher when enough slots are free to be worth a claim. */
    void slotFreed(int inFlightNow) {
        if (maxTotal - inFlightNow >= refillThreshold) {
            wakeUp();
        }
    }

    @Override
    boolean round() {
        if (stopping) {
            return false;
        }
        long waitNanos = pollNanos;
        try {
            int free = maxTotal - totalInFlight.get();
            // A slot frees when its attempt ends, but the job keeps its lease until its completion is written.
            // When the writer falls behind (a slow store), claiming on every freed slot piled up leases without
            // bound: a node of 16 workers whose writes took 300 ms held 10,000 jobs, and when such leases expire
            // together other nodes run them all again. Past one completion batch of backlog, wait for the writer.
            int backlogRoom = maxTotal + completionBacklog - held.size();
            waitingForCompletions = backlogRoom < free;
            free = Math.min(free, backlogRoom);
            if (free >= refillThreshold || (free > 0 && totalInFlight.get() == 0)) {
                ClaimOutcome outcome = claimOnce(free);
                errorBackoff = 0;
                if (outcome.full) {
                    return true; // the store may hold more: claim again before parking
                }
                if (outcome.nextRunAtMillis > 0) {
                    long untilDue = TimeUnit.MILLISECONDS.toNanos(outcome.nextRunAtMillis - clock.millis());
                    waitNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(waitNanos, untilDue));
                }
                if (limitWaitNanos > 0) {
                    waitNanos = Math.min(waitNanos, limitWaitNanos);
                }
            }
        } catch (RuntimeException e) {
            metrics.storeErrors.increment();
            errorBackoff = errorBackoff == 0 ? TimeUnit.MILLISECONDS.toNanos(100)
                    : Math.min(MAX_ERROR_BACKOFF_NANOS, errorBackoff * 2);
            waitNanos = errorBackoff;
            log.warn("claim failed on node {}; retrying in {} ms", nodeId,
                    TimeUnit.NANOSECONDS.toMillis(errorBackoff), e);
        }
        parkUnless(() -> signalled, waitNanos);
        // Reset before the next claim: a signal that arrives from here on is covered by that claim.
        signalled = false;
        return true;
    }

    private ClaimOutcome claimOnce(int free) {
        List<QueueClaim> claims = new ArrayList<>(queues.size());
        int asked = 0;
        limitWaitNanos = 0;
        for (QueueWorkers q : queues.values()) {
            int queueFree = Math.min(q.freeSlots(), free);
            if (queueFree > 0 && !guards.isEmpty()) {
                queueFree = Math.min(queueFree, guards.queueStartsAvailable(q.name));
                if (queueFree == 0) {
                    long untilWindow = guards.nanosToNextQueueWindow(q.name);
                    limitWaitNanos = limitWaitNanos == 0 ? untilWindow : Math.min(limitWaitNanos, untilWindow);
                }
            }
            if (queueFree > 0) {
                claims.add(new QueueClaim(q.name, queueFree, q.maxPerTenant(), q.tenantInFlight()));
                asked += queueFree;
            }
        }
        if (claims.isEmpty()) {
            return ClaimOutcome.NONE;
        }
        int maxJobs = Math.min(free, asked);
        ClaimBatch batch = store.claim(new ClaimRequest(nodeId, leaseMillis, maxJobs, claims));
        handOut(batch.jobs());
        return new ClaimOutcome(!batch.jobs().isEmpty() && batch.jobs().size() >= maxJobs, batch.nextRunAtMillis());
    }

    private void handOut(Collection<ClaimedJob> jobs) {
        boolean record = listeners.recordsTransitions();
        for (ClaimedJob job : jobs) {
            if (record) {
                // A due SCHEDULED job counts as READY (JobState's diagram): every claim is READY -> RUNNING.
                listeners.transition(job.id(), JobState.READY, JobState.RUNNING, job.attempt(), null);
            }
            QueueWorkers q = queues.get(job.queue());
            if (q == null) {
                // A store must only return asked queues; keep the job's lease honest by handing it straight back.
                log.error("store returned job {} of queue '{}' that was not asked for", job.id(), job.queue());
                continue;
            }
            RunningJob running = new RunningJob(job, q, store);
            RunningJob previous = held.put(job.id(), running);
            if (previous != null) {
                // This node claims again a job whose lease it lost (its old attempt may still run or wait): the
                // old attempt is over, and from now on only the new one owns the job's entry in the held map.
                previous.leaseLost = true;
                previous.interruptHandler();
            }
            q.acquired(job.tenant());
            totalInFlight.incrementAndGet();
            q.buffer.offer(running);
        }
    }

    private static final class ClaimOutcome {
        static final ClaimOutcome NONE = new ClaimOutcome(false, 0);
        final boolean full;
        final long nextRunAtMillis;

        ClaimOutcome(boolean full, long nextRunAtMillis) {
            this.full = full;
            this.nextRunAtMillis = nextRunAtMillis;
        }
    }
}
