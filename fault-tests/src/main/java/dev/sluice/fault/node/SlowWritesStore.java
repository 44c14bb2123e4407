package dev.sluice.fault.node;

import dev.sluice.store.Completion;
import dev.sluice.store.ForwardingJobStore;
import dev.sluice.store.JobStore;
import dev.sluice.store.WriteResult;

import java.util.List;

/** A slow store, as seen by one node: each completion write takes {@code delayMillis} more before it is sent. */
final class SlowWritesStore extends ForwardingJobStore {

    private final long delayMillis;

    SlowWritesStore(JobStore delegate, long delayMillis) {
        super(delegate);
        this.delayMillis = delayMillis;
    }

    @Override
    public List<WriteResult> completeAll(List<Completion> completions) {
        try {
            Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return super.completeAll(completions);
    }
}
