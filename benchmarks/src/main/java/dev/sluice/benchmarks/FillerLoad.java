package dev.sluice.benchmarks;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Background load for latency runs: keeps exactly {@code inFlight} filler jobs submitted and not finished,
 * each working {@code workMicros} (spinning on the CPU, or parked as if waiting on I/O). A closed loop: a
 * filler's end frees a permit and this thread submits the next one at once. With {@code inFlight} = half the
 * workers, half the worker slots are busy at any time and a probe always finds a free one, so what a probe
 * measures is the engine's own dispatch path under load, not queueing behind fillers.
 */
final class FillerLoad implements Runnable {

    private final int inFlight;
    private final long workNanos;
    private final boolean spin;
    private final Semaphore permits;
    private final LongAdder busyNanos = new LongAdder();
    private Runnable submitOne;
    private volatile boolean stopping;
    private Thread thread;

    private long windowStart;
    private long windowBusyStart;
    private long measuredElapsed;
    private long measuredBusy;

    FillerLoad(int inFlight, long workMicros, boolean spin) {
        this.inFlight = inFlight;
        this.workNanos = TimeUnit.MICROSECONDS.toNanos(workMicros);
        this.spin = spin;
        this.permits = new Semaphore(inFlight);
    }

    /** Starts submitting fillers through {@code submitOne}, on a daemon thread of its own. */
    void start(String name, Runnable submitOne) {
        this.submitOne = submitOne;
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        stopping = true;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }

    /** The body of one filler job: called by the job's handler or task. */
    void work() {
        long start = System.nanoTime();
        try {
            if (spin) {
                while (System.nanoTime() - start < workNanos) {
                    Thread.onSpinWait();
                }
            } else {
                LockSupport.parkNanos(workNanos);
            }
        } finally {
            busyNanos.add(System.nanoTime() - start);
            permits.release();
        }
    }

    @Override
    public void run() {
        while (!stopping) {
            try {
                if (permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    submitOne.run();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    int inFlight() {
        return inFlight;
    }

    void beginIteration() {
        windowStart = System.nanoTime();
        windowBusyStart = busyNanos.sum();
    }

    void endIteration(boolean measurement) {
        if (measurement) {
            measuredElapsed += System.nanoTime() - windowStart;
            measuredBusy += busyNanos.sum() - windowBusyStart;
        }
    }

    /** Share of the workers' time spent inside fillers over the measurement iterations. */
    double busyShare(int workers) {
        return measuredElapsed == 0 ? 0 : (double) measuredBusy / ((double) measuredElapsed * workers);
    }
}
