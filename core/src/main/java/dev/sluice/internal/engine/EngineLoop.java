package dev.sluice.internal.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A loop on its own platform thread that parks when idle and is woken by others without a lost wake-up:
 * the base of the dispatcher and the completion batcher. Whatever one round throws is logged and the loop
 * goes on, so the engine never keeps looking alive with a dead thread.
 */
abstract class EngineLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(EngineLoop.class);
    private static final long AFTER_ERROR_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String name;
    private volatile Thread thread;
    private volatile boolean parked;
    volatile boolean stopping;

    EngineLoop(String name) {
        this.name = name;
    }

    final void start() {
        Thread t = new Thread(this, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Asks the loop to end and waits for it; {@link #round()} decides when it is done. */
    final void stop() throws InterruptedException {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            t.join();
        }
    }

    /** Wakes the loop if it is parked; cheap when it is not. */
    final void wake() {
        Thread t = thread;
        if (parked && t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Parks up to {@code nanos} unless {@code hasWork} says otherwise. {@code parked} is published before
     * {@code hasWork} is read, so a waker that changed the state without seeing {@code parked} is caught by
     * the read.
     */
    final void parkUnless(BooleanSupplier hasWork, long nanos) {
        parked = true;
        if (!stopping && !hasWork.getAsBoolean()) {
            LockSupport.parkNanos(this, nanos);
        }
        parked = false;
    }

    @Override
    public final void run() {
        while (true) {
            try {
                if (!round()) {
                    return;
                }
            } catch (Throwable t) {
                log.error("{} failed; it goes on after a pause", name, t);
                LockSupport.parkNanos(this, AFTER_ERROR_NANOS);
            }
        }
    }

    /** One round of work; false when the loop is finished. */
    abstract boolean round();
}
