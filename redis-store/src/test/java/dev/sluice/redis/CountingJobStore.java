package dev.sluice.redis;

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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** A store that counts, per job, the completions the store it wraps accepted. */
final class CountingJobStore implements JobStore {

    private final JobStore store;
    private final Map<JobId, AtomicInteger> accepted;

    CountingJobStore(JobStore store, Map<JobId, AtomicInteger> accepted) {
        this.store = store;
        this.accepted = accepted;
    }

    @Override
    public List<WriteResult> completeAll(List<Completion> completions) {
        List<WriteResult> results = store.completeAll(completions);
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) == WriteResult.ACCEPTED) {
                accepted.computeIfAbsent(completions.get(i).id(), id -> new AtomicInteger()).incrementAndGet();
            }
        }
        return results;
    }

    @Override
    public List<EnqueueResult> enqueue(List<NewJob> jobs) {
        return store.enqueue(jobs);
    }

    @Override
    public ClaimBatch claim(ClaimRequest request) {
        return store.claim(request);
    }

    @Override
    public List<LeaseStatus> renewLeases(List<LeaseRef> leases, long leaseMillis) {
        return store.renewLeases(leases, leaseMillis);
    }

    @Override
    public List<RecoveredJob> recoverExpired(int max) {
        return store.recoverExpired(max);
    }

    @Override
    public List<WriteResult> saveProgress(List<ProgressUpdate> updates) {
        return store.saveProgress(updates);
    }

    @Override
    public CancelResult cancel(JobId id) {
        return store.cancel(id);
    }

    @Override
    public void pauseQueue(String queue) {
        store.pauseQueue(queue);
    }

    @Override
    public void resumeQueue(String queue) {
        store.resumeQueue(queue);
    }

    @Override
    public Set<String> pausedQueues() {
        return store.pausedQueues();
    }

    @Override
    public boolean reprioritize(JobId id, Priority priority) {
        return store.reprioritize(id, priority);
    }

    @Override
    public boolean retry(JobId id) {
        return store.retry(id);
    }

    @Override
    public Optional<StoredJob> find(JobId id) {
        return store.find(id);
    }

    @Override
    public List<StoredJob> findAll(Collection<JobId> ids) {
        return store.findAll(ids);
    }

    @Override
    public List<StoredJob> list(JobQuery query) {
        return store.list(query);
    }

    @Override
    public StoreStats stats() {
        return store.stats();
    }

    @Override
    public AutoCloseable subscribe(Runnable onWork) {
        return store.subscribe(onWork);
    }

    @Override
    public void close() {
        store.close();
    }
}
