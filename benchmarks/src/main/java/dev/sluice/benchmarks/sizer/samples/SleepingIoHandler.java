package dev.sluice.benchmarks.sizer.samples;

import dev.sluice.JobContext;
import dev.sluice.JobHandler;

import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * A sample I/O-bound handler for the concurrency sizer: each job borrows one of {@value #POOL} connections of a
 * shared pool (waiting when all are out) and waits {@value #ROUND_TRIP_MILLIS} ms for a remote answer. Its ceiling
 * is POOL / ROUND_TRIP = 3,200 jobs/s whatever the concurrency: the sizer's knee should be at {@value #POOL}.
 */
public final class SleepingIoHandler implements JobHandler<Object> {

    public static final int POOL = 16;
    public static final int ROUND_TRIP_MILLIS = 5;
    private static final Semaphore CONNECTIONS = new Semaphore(POOL, true);

    @Override
    public Object handle(Object payload, JobContext context) throws InterruptedException {
        CONNECTIONS.acquire();
        try {
            LockSupport.parkNanos(ROUND_TRIP_MILLIS * 1_000_000L);
        } finally {
            CONNECTIONS.release();
        }
        return null;
    }
}
