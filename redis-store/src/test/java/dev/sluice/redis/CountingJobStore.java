package dev.sluice.redis;

import dev.sluice.JobId;
import dev.sluice.store.Completion;
import dev.sluice.store.ForwardingJobStore;
import dev.sluice.store.JobStore;
import dev.sluice.store.WriteResult;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A store that counts, per job, the completions the store it wraps accepted. */
final class CountingJobStore extends ForwardingJobStore {

    private final Map<JobId, AtomicInteger> accepted;

    CountingJobStore(JobStore store, Map<JobId, AtomicInteger> accepted) {
        super(store);
        this.accepted = accepted;
    }

    @Override
    public List<WriteResult> completeAll(List<Completion> completions) {
        List<WriteResult> results = super.completeAll(completions);
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) == WriteResult.ACCEPTED) {
                accepted.computeIfAbsent(completions.get(i).id(), id -> new AtomicInteger()).incrementAndGet();
            }
        }
        return results;
    }
}
