package dev.sluice.engine;

import dev.sluice.store.EnqueueResult;
import dev.sluice.store.ForwardingJobStore;
import dev.sluice.store.JobStore;
import dev.sluice.store.NewJob;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A store that passes every call on and remembers the size of each enqueue call, to count round trips. */
final class CountingStore extends ForwardingJobStore {

    private final List<Integer> enqueueSizes = new CopyOnWriteArrayList<>();

    CountingStore(JobStore delegate) {
        super(delegate);
    }

    /** The number of jobs passed to each enqueue call so far, in call order. */
    List<Integer> enqueueSizes() {
        return List.copyOf(enqueueSizes);
    }

    @Override
    public List<EnqueueResult> enqueue(List<NewJob> jobs) {
        enqueueSizes.add(jobs.size());
        return super.enqueue(jobs);
    }
}
