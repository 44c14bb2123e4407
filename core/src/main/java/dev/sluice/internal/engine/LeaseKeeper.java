package dev.sluice.internal.engine;

import dev.sluice.JobEvent;
import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.store.JobStore;
import dev.sluice.store.LeaseRef;
import dev.sluice.store.LeaseStatus;
import dev.sluice.store.ProgressUpdate;
import dev.sluice.store.RecoveredJob;
import dev.sluice.store.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps this node's leases alive and cleans up after dead nodes, from its own thread so that a busy worker
 * pool never delays a renewal: every third of the lease it renews the leases of every job the node holds
 * (claimed, running or with its completion not yet written) and writes coalesced progress; every recovery
 * interval it asks the store to take back expired leases of other nodes.
 */
final class LeaseKeeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
    static final int CHUNK = 1000;

    private final JobStore store;
    private final Map<JobId, RunningJob> held;
    private final long leaseMillis;
    private final EngineMetrics metrics;
    private final Listeners listeners;
    private final Dispatcher dispatcher;

    LeaseKeeper(JobStore store, Map<JobId, RunningJob> held, long leaseMillis, EngineMetrics metrics,
                Listeners listeners, Dispatcher dispatcher) {
        this.store = store;
        this.held = held;
        this.leaseMillis = leaseMillis;
        this.metrics = metrics;
        this.listeners = listeners;
        this.dispatcher = dispatcher;
    }

    /** One renewal round. Never throws: a failed round is logged and counted, the next one tries again. */
    void renewAll() {
        List<RunningJob> jobs = new ArrayList<>(held.values());
        for (int from = 0; from < jobs.size(); from += CHUNK) {
            List<RunningJob> chunk = jobs.subList(from, Math.min(jobs.size(), from + CHUNK));
            try {
                renew(chunk);
            } catch (RuntimeException e) {
                metrics.storeErrors.increment();
                log.warn("renewing {} leases failed; they expire in at most {} ms unless a later round succeeds",
                        chunk.size(), leaseMillis, e);
            }
        }
        try {
            writeProgress(jobs);
        } catch (RuntimeException e) {
            metrics.storeErrors.increment();
            log.warn("writing progress failed", e);
        }
    }

    private void renew(List<RunningJob> chunk) {
        List<LeaseRef> refs = new ArrayList<>(chunk.size());
        for (RunningJob job : chunk) {
            refs.add(new LeaseRef(job.claimed.id(), job.claimed.fencingToken()));
        }
        List<LeaseStatus> statuses = store.renewLeases(refs, leaseMillis);
        for (int i = 0; i < chunk.size(); i++) {
            RunningJob job = chunk.get(i);
            switch (statuses.get(i)) {
                case RENEWED:
                    metrics.leasesRenewed.increment();
                    break;
                case CANCEL_REQUESTED:
                    metrics.leasesRenewed.increment();
                    if (!job.cancelled) {
                        job.cancelled = true;
                        job.interruptHandler();
                    }
                    break;
                case LOST:
                    // A job whose completion is queued or written may be reported LOST because the store
                    // already finished it; a real loss then shows as a refused (stale) completion instead.
                    if (!job.leaseLost && !job.completionQueued && held.get(job.claimed.id()) == job) {
                        job.leaseLost = true;
                        metrics.leasesLost.increment();
                        job.interruptHandler();
                        listeners.fire(JobEvent.Kind.LEASE_LOST, job.claimed.id(), job.claimed.type(),
                                job.claimed.queue(), job.claimed.attempt(), "lease renewal refused");
                        log.warn("node lost the lease of job {} (attempt {}); another node may run it",
                                job.claimed.id(), job.claimed.attempt());
                    }
                    break;
                default:
                    throw new IllegalStateException("unknown lease status " + statuses.get(i));
            }
        }
    }

    /** Writes pending progress now instead of at the next renewal (a forced flush). Never throws. */
    void flushProgress() {
        try {
            writeProgress(new ArrayList<>(held.values()));
        } catch (RuntimeException e) {
            metrics.storeErrors.increment();
            log.warn("writing progress failed", e);
        }
    }

    private void writeProgress(List<RunningJob> jobs) {
        List<ProgressUpdate> updates = new ArrayList<>();
        List<RunningJob> dirty = new ArrayList<>();
        for (RunningJob job : jobs) {
            if (job.progressDirty && !job.leaseLost) {
                job.progressDirty = false;
                updates.add(new ProgressUpdate(job.claimed.id(), job.claimed.fencingToken(), job.progress, null));
                dirty.add(job);
            }
        }
        for (int from = 0; from < updates.size(); from += CHUNK) {
            int to = Math.min(updates.size(), from + CHUNK);
            List<WriteResult> results = store.saveProgress(updates.subList(from, to));
            for (int i = from; i < to; i++) {
                if (results.get(i - from) == WriteResult.STALE) {
                    dirty.get(i).leaseLost = true;
                    dirty.get(i).interruptHandler();
                }
            }
        }
    }

    /** Takes back expired leases (of any node) until none is left. Never throws. */
    void recoverExpired() {
        try {
            List<RecoveredJob> recovered;
            do {
                // Places taken before the call: a recovered job may be claimed again before it is recorded here.
                long at = listeners.now();
                long firstChange = listeners.reserve(CHUNK);
                try {
                    recovered = store.recoverExpired(CHUNK);
                    long change = firstChange;
                    for (RecoveredJob job : recovered) {
                        recovered(job, at, change++);
                    }
                } finally {
                    listeners.settle(firstChange);
                }
                if (!recovered.isEmpty()) {
                    dispatcher.wakeUp();
                }
            } while (recovered.size() == CHUNK);
        } catch (RuntimeException e) {
            metrics.storeErrors.increment();
            log.warn("recovering expired leases failed", e);
        }
    }

    private void recovered(RecoveredJob job, long at, long change) {
        metrics.leasesRecovered.increment();
        log.warn("took back job {} of type '{}' from node {} whose lease expired: now {} after {} attempts",
                job.id(), job.type(), job.leaseOwner(), job.newState(), job.attempts());
        String reason = job.newState() == JobState.DEAD ? "lease expired on the last attempt" : null;
        listeners.fire(JobEvent.Kind.RECOVERED, job.id(), job.type(), job.queue(), job.attempts(), reason);
        listeners.transition(at, change, job.id(), JobState.RUNNING, job.newState(), job.attempts(),
                reason != null ? reason : "lease of node " + job.leaseOwner() + " expired");
    }
}
