package dev.sluice.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One probe at a time: the benchmark thread submits a probe and waits (a short spin, then park) until the
 * probe's body has started on a worker. The body also records its own view of the latency, submit call to
 * body start, which leaves out the wake-up of the waiting benchmark thread that JMH's sample includes.
 */
final class StartProbe {

    /** Short on purpose: on two cores a long spin takes the CPU the dispatcher and workers need. */
    private static final int SPINS = 200;
    private static final long STUCK_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AtomicLong started = new AtomicLong();
    private final LatencySamples iteration = new LatencySamples(1 << 21);
    private final LatencySamples measured = new LatencySamples(1 << 23);
    private volatile long submittedAt;
    private volatile Thread waiter;
    private long submitted;

    /** The probe body, on a worker thread. */
    void started() {
        iteration.record(System.nanoTime() - submittedAt);
        started.incrementAndGet();
        LockSupport.unpark(waiter);
    }

    /** Submits one probe through {@code submit} and returns once its body has started. */
    void probe(Runnable submit) {
        long seq = ++submitted;
        waiter = Thread.currentThread();
        submittedAt = System.nanoTime();
        submit.run();
        int spins = 0;
        while (started.get() < seq) {
            if (spins < SPINS) {
                spins++;
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
                if (System.nanoTime() - submittedAt > STUCK_AFTER_NANOS) {
                    throw new IllegalStateException("probe " + seq + " did not start within 10 s");
                }
            }
        }
    }

    void beginIteration() {
        iteration.clear();
    }

    /** Keeps the iteration's body-side samples when it was a measurement iteration. */
    void endIteration(boolean measurement) {
        if (measurement) {
            measured.addAll(iteration);
        }
    }

    /** The body-side latencies of all measurement iterations. */
    String summary() {
        return measured.summary();
    }
}
