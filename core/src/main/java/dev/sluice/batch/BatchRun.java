package dev.sluice.batch;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * A standalone run started by {@link BatchProcessor#start}: cancel it, or wait for its report. Thread-safe.
 */
public final class BatchRun {

    private final CompletableFuture<BatchReport> report;
    private volatile boolean cancelled;

    BatchRun(CompletableFuture<BatchReport> report) {
        this.report = report;
    }

    /**
     * Asks the run to stop: no batch starts after this, the batches in flight finish (and are counted), and the
     * report's status is CANCELLED. Returns at once; idempotent.
     */
    public void cancel() {
        cancelled = true;
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** True once the run ended. */
    public boolean isDone() {
        return report.isDone();
    }

    /**
     * Waits for the report.
     *
     * @throws TimeoutException          when the run did not end in time
     * @throws dev.sluice.SluiceException when the run failed (the source or a checkpoint could not be read or
     *                                   written)
     * @throws InterruptedException      when the waiting thread is interrupted (the run goes on)
     */
    public BatchReport await(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return report.get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        }
    }
}
