package dev.sluice.internal.observe;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.Priority;
import dev.sluice.store.CancelResult;
import dev.sluice.store.Dependency;
import dev.sluice.store.HistoryEntry;
import dev.sluice.store.LeaderLease;
import dev.sluice.store.NodeInfo;
import dev.sluice.store.PurgeRequest;
import dev.sluice.store.ClaimBatch;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.Completion;
import dev.sluice.store.EnqueueResult;
import dev.sluice.store.JobStore;
import dev.sluice.store.LeaseRef;
import dev.sluice.store.LeaseStatus;
import dev.sluice.store.NewJob;
import dev.sluice.store.ProgressUpdate;
import dev.sluice.store.RecoveredJob;
import dev.sluice.store.StoreStats;
import dev.sluice.store.StoredJob;
import dev.sluice.store.TransactionalEnqueue;
import dev.sluice.store.WriteResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Times the store calls the engine makes, as {@code sluice.store.calls} tagged with the operation. Every
 * timer is resolved once; a call costs one {@link Timer#record(java.util.function.Supplier)} (two clock reads),
 * and store calls are batched, so the cost per job is a fraction of that. Calls that throw are timed too. Thread-safe as the store is.
 *
 * <p>Every {@link JobStore} method, defaults included, must be overridden here and delegated: an SPI method
 * left to its default would bypass the store's own implementation ({@code TimedJobStoreTest} checks it).
 */
public class TimedJobStore implements JobStore {

    final JobStore delegate;
    private final Timer enqueue;
    private final Timer claim;
    private final Timer complete;
    private final Timer renew;
    private final Timer recover;
    private final Timer progress;
    private final Timer control;
    private final Timer query;
    private final Timer stats;
    private final Timer maintenance;
    private final Timer history;

    TimedJobStore(JobStore delegate, MeterRegistry registry) {
        this.delegate = delegate;
        enqueue = timer(registry, "enqueue");
        claim = timer(registry, "claim");
        complete = timer(registry, "complete");
        renew = timer(registry, "renew-leases");
        recover = timer(registry, "recover-expired");
        progress = timer(registry, "save-progress");
        control = timer(registry, "control");
        query = timer(registry, "query");
        stats = timer(registry, "stats");
        maintenance = timer(registry, "maintenance");
        history = timer(registry, "history");
    }

    /** The store, timed; a store that takes part in callers' transactions stays one. */
    public static JobStore wrap(JobStore store, MeterRegistry registry) {
        return store instanceof TransactionalEnqueue ? new Transactional(store, registry)
                : new TimedJobStore(store, registry);
    }

    private static Timer timer(MeterRegistry registry, String operation) {
        return Timer.builder("sluice.store.calls").tag("operation", operation)
                .description("Store calls made by the engine, by operation").register(registry);
    }

    @Override
    public List<EnqueueResult> enqueue(List<NewJob> jobs) {
        return enqueue.record(() -> delegate.enqueue(jobs));
    }

    @Override
    public ClaimBatch claim(ClaimRequest request) {
        return claim.record(() -> delegate.claim(request));
    }

    @Override
    public List<WriteResult> completeAll(List<Completion> completions) {
        return complete.record(() -> delegate.completeAll(completions));
    }

    @Override
    public List<LeaseStatus> renewLeases(List<LeaseRef> leases, long leaseMillis) {
        return renew.record(() -> delegate.renewLeases(leases, leaseMillis));
    }

    @Override
    public List<RecoveredJob> recoverExpired(int max) {
        return recover.record(() -> delegate.recoverExpired(max));
    }

    @Override
    public List<WriteResult> saveProgress(List<ProgressUpdate> updates) {
        return progress.record(() -> delegate.saveProgress(updates));
    }

    @Override
    public CancelResult cancel(JobId id) {
        return control.record(() -> delegate.cancel(id));
    }

    @Override
    public void pauseQueue(String queue) {
        control.record(() -> delegate.pauseQueue(queue));
    }

    @Override
    public void resumeQueue(String queue) {
        control.record(() -> delegate.resumeQueue(queue));
    }

    @Override
    public Set<String> pausedQueues() {
        return query.record(() -> delegate.pausedQueues());
    }

    @Override
    public boolean reprioritize(JobId id, Priority priority) {
        return control.record(() -> delegate.reprioritize(id, priority));
    }

    @Override
    public boolean retry(JobId id) {
        return control.record(() -> delegate.retry(id));
    }

    @Override
    public Optional<StoredJob> find(JobId id) {
        return query.record(() -> delegate.find(id));
    }

    @Override
    public List<StoredJob> findAll(Collection<JobId> ids) {
        return query.record(() -> delegate.findAll(ids));
    }

    @Override
    public List<StoredJob> list(JobQuery q) {
        return query.record(() -> delegate.list(q));
    }

    @Override
    public StoreStats stats() {
        return stats.record(() -> delegate.stats());
    }

    @Override
    public List<Dependency> parentsOf(JobId child) {
        return query.record(() -> delegate.parentsOf(child));
    }

    @Override
    public List<JobId> childrenOf(JobId parent) {
        return query.record(() -> delegate.childrenOf(parent));
    }

    @Override
    public int cancelWaiting(String queue, int max) {
        return control.record(() -> delegate.cancelWaiting(queue, max));
    }

    @Override
    public int purge(PurgeRequest request) {
        return maintenance.record(() -> delegate.purge(request));
    }

    @Override
    public Optional<EnqueueResult> enqueueFire(String scheduleId, long fireTimeMillis, NewJob job) {
        return enqueue.record(() -> delegate.enqueueFire(scheduleId, fireTimeMillis, job));
    }

    @Override
    public OptionalLong lastFire(String scheduleId) {
        return query.record(() -> delegate.lastFire(scheduleId));
    }

    @Override
    public Optional<LeaderLease> tryLead(String role, String nodeId, long leaseMillis) {
        return maintenance.record(() -> delegate.tryLead(role, nodeId, leaseMillis));
    }

    @Override
    public void resign(String role, String nodeId) {
        maintenance.record(() -> delegate.resign(role, nodeId));
    }

    @Override
    public Optional<LeaderLease> leader(String role) {
        return query.record(() -> delegate.leader(role));
    }

    @Override
    public void heartbeat(NodeInfo node, long ttlMillis) {
        maintenance.record(() -> delegate.heartbeat(node, ttlMillis));
    }

    @Override
    public List<NodeInfo> nodes() {
        return query.record(() -> delegate.nodes());
    }

    @Override
    public void removeNode(String nodeId) {
        maintenance.record(() -> delegate.removeNode(nodeId));
    }

    @Override
    public void appendHistory(List<HistoryEntry> entries) {
        history.record(() -> delegate.appendHistory(entries));
    }

    @Override
    public List<HistoryEntry> history(JobId id) {
        return query.record(() -> delegate.history(id));
    }

    @Override
    public AutoCloseable subscribe(Runnable onWork) {
        return delegate.subscribe(onWork);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }

    /** A timed store that also stores jobs inside callers' transactions (untimed: the caller owns that call). */
    static final class Transactional extends TimedJobStore implements TransactionalEnqueue<Object> {

        private final TransactionalEnqueue<Object> target;

        @SuppressWarnings("unchecked")
        Transactional(JobStore delegate, MeterRegistry registry) {
            super(delegate, registry);
            this.target = (TransactionalEnqueue<Object>) delegate;
        }

        @Override
        public Class<Object> transactionType() {
            return target.transactionType();
        }

        @Override
        public List<EnqueueResult> enqueue(Object transaction, List<NewJob> jobs) {
            return target.enqueue(transaction, jobs);
        }
    }
}
