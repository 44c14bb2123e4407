package dev.sluice.benchmarks;

import java.util.EnumSet;
import java.util.Set;

import dev.sluice.JobEvent;
import dev.sluice.JobListener;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts SUCCEEDED events and lets one thread wait until the count reaches a target, without a wait per job:
 * the listener unparks the waiter only once the target is reached.
 */
final class SucceededCounter implements JobListener {

    private final AtomicLong succeeded = new AtomicLong();
    private volatile long target = Long.MAX_VALUE;
    private volatile Thread waiter;

    @Override
    public void onEvent(JobEvent event) {
        // The waiter publishes 'target' before reading the count, and this reads 'target' after counting:
        // one side always sees the other, so a wake-up is never lost.
        if (event.kind() == JobEvent.Kind.SUCCEEDED && succeeded.incrementAndGet() >= target) {
            LockSupport.unpark(waiter);
        }
    }

    /** Only SUCCEEDED events: the engine then builds no event of the other kinds. */
    @Override
    public Set<JobEvent.Kind> kinds() {
        return EnumSet.of(JobEvent.Kind.SUCCEEDED);
    }

    long count() {
        return succeeded.get();
    }

    /** At the end of a trial: every job submitted succeeded, no more and no fewer (nothing lost, nothing twice). */
    void requireExactly(long submitted) {
        if (succeeded.get() != submitted) {
            throw new IllegalStateException(submitted + " jobs submitted but " + succeeded.get() + " succeeded");
        }
    }

    /**
     * Parks until at least {@code count} jobs have succeeded since the engine started.
     *
     * @throws IllegalStateException when they have not within {@code limit} (the engine is stuck)
     */
    void awaitAtLeast(long count, Duration limit) {
        waiter = Thread.currentThread();
        target = count;
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            long done;
            while ((done = succeeded.get()) < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("only " + done + " of " + count + " jobs succeeded within "
                            + limit);
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            target = Long.MAX_VALUE;
        }
    }
}
