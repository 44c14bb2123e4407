package dev.sluice.engine;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.Priority;
import dev.sluice.store.CancelResult;
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
import dev.sluice.store.WriteResult;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A store that passes every call on and remembers the size of each enqueue call, to count round trips. */
final class CountingStore implements JobStore {

    private final JobStore delegate;
    private final List<Integer> enqueueSizes = new CopyOnWriteArrayList<>();

    CountingStore(JobStore delegate) {
        this.delegate = delegate;
    }

    /** The number of jobs passed to each enqueue call so far, in call order. */
    List<Integer> enqueueSizes() {
        return List.copyOf(enqueueSizes);
    }

    @Override
    public List<EnqueueResult> enqueue(List<NewJob> jobs) {
        enqueueSizes.add(jobs.size());
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
}
