package dev.sluice.fault.node;

import dev.sluice.store.ClaimBatch;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.Completion;
import dev.sluice.store.EnqueueResult;
import dev.sluice.store.ForwardingJobStore;
import dev.sluice.store.JobStore;
import dev.sluice.store.NewJob;
import dev.sluice.store.WriteResult;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Halts the JVM at one {@link CrashPoint} of the store calls the engine makes, the n-th time that point is reached
 * with work in hand. It wraps the store the engine is built on, so the engine and the stores run their production
 * code unchanged: the crash happens between two of the engine's store calls, or (mid-flush) between two halves
 * of one.
 */
final class CrashPointStore extends ForwardingJobStore {

    /** Exit status of a JVM halted at a crash point. */
    static final int HALT_STATUS = 99;

    private final CrashPoint point;
    private final int nth;
    private final AtomicInteger reached = new AtomicInteger();

    CrashPointStore(JobStore delegate, CrashPoint point, int nth) {
        super(delegate);
        this.point = point;
        this.nth = nth;
    }

    @Override
    public ClaimBatch claim(ClaimRequest request) {
        ClaimBatch batch = super.claim(request);
        if (point == CrashPoint.AFTER_CLAIM && !batch.jobs().isEmpty() && isNth()) {
            halt(batch.jobs().size() + " jobs claimed");
        }
        return batch;
    }

    @Override
    public List<WriteResult> completeAll(List<Completion> completions) {
        if (point == CrashPoint.BEFORE_COMPLETION_FLUSH && !completions.isEmpty() && isNth()) {
            halt(completions.size() + " completions not written");
        }
        if (point == CrashPoint.MID_COMPLETION_FLUSH && completions.size() >= 2 && isNth()) {
            List<WriteResult> first = super.completeAll(completions.subList(0, completions.size() / 2));
            halt(first.size() + " of " + completions.size() + " completions written");
        }
        return super.completeAll(completions);
    }

    @Override
    public List<EnqueueResult> enqueue(List<NewJob> jobs) {
        List<EnqueueResult> results = super.enqueue(jobs);
        if (point == CrashPoint.AFTER_ENQUEUE && !jobs.isEmpty() && isNth()) {
            halt(jobs.size() + " jobs stored");
        }
        return results;
    }

    /** Counts one time the point is reached with work in hand; true on the n-th. */
    private boolean isNth() {
        return reached.incrementAndGet() == nth;
    }

    private void halt(String what) {
        FaultNode.halt(HALT_STATUS, point.text() + ": " + what);
    }
}
