package dev.sluice.benchmarks.sizer.samples;

import dev.sluice.batch.BatchAttempt;
import dev.sluice.batch.BatchHandler;
import dev.sluice.batch.RecordFailure;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * A sample batch handler for the concurrency sizer, shaped like a bulk insert: one round trip of
 * {@value #ROUND_TRIP_MICROS} µs per batch plus {@value #MICROS_PER_RECORD} µs per record, on one of
 * {@value #POOL} connections. Larger batches spread the round trip over more records; more than {@value #POOL}
 * batches in flight only wait for a connection.
 */
public final class BulkWriteBatchHandler implements BatchHandler<Object> {

    public static final int POOL = 8;
    public static final int ROUND_TRIP_MICROS = 2_000;
    public static final int MICROS_PER_RECORD = 5;
    private static final Semaphore CONNECTIONS = new Semaphore(POOL, true);

    @Override
    public List<RecordFailure> process(List<Object> records, BatchAttempt attempt) throws InterruptedException {
        CONNECTIONS.acquire();
        try {
            LockSupport.parkNanos((ROUND_TRIP_MICROS + (long) MICROS_PER_RECORD * records.size()) * 1_000L);
        } finally {
            CONNECTIONS.release();
        }
        return List.of();
    }
}
