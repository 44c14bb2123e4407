package dev.sluice.store;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.Priority;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A store that passes every call to another: extend it and override only the calls a decorator changes
 * (logging, counting, fault injection in tests). Thread-safe when the delegate is. It does not pass on
 * {@link TransactionalEnqueue}.
 */
public abstract class ForwardingJobStore implements JobStore {

    private final JobStore delegate;

    protected ForwardingJobStore(JobStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The store calls are passed to. */
    protected final JobStore delegate() {
        return delegate;
    }

    @Override
    public List<EnqueueResult> enqueue(List<NewJob> jobs) {
        return delegate.enqueue(jobs);
    }

    @Override
    public ClaimBatch claim(ClaimRequest request) {
        return delegate.claim(request);
    }

    @Override
    public List<WriteResult> completeAll(List<Completion> completions) {
        return delegate.completeAll(completions);
    }

    @Override
    public List<LeaseStatus> renewLeases(List<LeaseRef> leases, long leaseMillis) {
        return delegate.renewLeases(leases, leaseMillis);
    }

    @Override
    public List<RecoveredJob> recoverExpired(int max) {
        return delegate.recoverExpired(max);
    }

    @Override
    public List<WriteResult> saveProgress(List<ProgressUpdate> updates) {
        return delegate.saveProgress(updates);
    }

    @Override
    public CancelResult cancel(JobId id) {
        return delegate.cancel(id);
    }

    @Override
    public void pauseQueue(String queue) {
        delegate.pauseQueue(queue);
    }

    @Override
    public void resumeQueue(String queue) {
        delegate.resumeQueue(queue);
    }

    @Override
    public Set<String> pausedQueues() {
        return delegate.pausedQueues();
    }

    @Override
    public boolean reprioritize(JobId id, Priority priority) {
        return delegate.reprioritize(id, priority);
    }

    @Override
    public boolean retry(JobId id) {
        return delegate.retry(id);
    }

    @Override
    public Optional<StoredJob> find(JobId id) {
        return delegate.find(id);
    }

    @Override
    public List<StoredJob> findAll(Collection<JobId> ids) {
        return delegate.findAll(ids);
    }

    @Override
    public List<StoredJob> list(JobQuery query) {
        return delegate.list(query);
    }

    @Override
    public StoreStats stats() {
        return delegate.stats();
    }

    @Override
    public List<Dependency> parentsOf(JobId child) {
        return delegate.parentsOf(child);
    }

    @Override
    public List<JobId> childrenOf(JobId parent) {
        return delegate.childrenOf(parent);
    }

    @Override
    public int cancelWaiting(String queue, int max) {
        return delegate.cancelWaiting(queue, max);
    }

    @Override
    public int purge(PurgeRequest request) {
        return delegate.purge(request);
    }

    @Override
    public Optional<EnqueueResult> enqueueFire(String scheduleId, long fireTimeMillis, NewJob job) {
        return delegate.enqueueFire(scheduleId, fireTimeMillis, job);
    }

    @Override
    public OptionalLong lastFire(String scheduleId) {
        return delegate.lastFire(scheduleId);
    }

    @Override
    public Optional<LeaderLease> tryLead(String role, String nodeId, long leaseMillis) {
        return delegate.tryLead(role, nodeId, leaseMillis);
    }

    @Override
    public void resign(String role, String nodeId) {
        delegate.resign(role, nodeId);
    }

    @Override
    public Optional<LeaderLease> leader(String role) {
        return delegate.leader(role);
    }

    @Override
    public void heartbeat(NodeInfo node, long ttlMillis) {
        delegate.heartbeat(node, ttlMillis);
    }

    @Override
    public List<NodeInfo> nodes() {
        return delegate.nodes();
    }

    @Override
    public void removeNode(String nodeId) {
        delegate.removeNode(nodeId);
    }

    @Override
    public void appendHistory(List<HistoryEntry> entries) {
        delegate.appendHistory(entries);
    }

    @Override
    public List<HistoryEntry> history(JobId id) {
        return delegate.history(id);
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
        return getClass().getSimpleName() + "(" + delegate + ")";
    }
}
