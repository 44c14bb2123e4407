package dev.sluice.store;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.Priority;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
