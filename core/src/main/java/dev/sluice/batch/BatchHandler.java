package dev.sluice.batch;

import java.util.List;

/**
 * Processes one batch of records for a {@link BatchProcessor}. Called from the processor's worker threads, up to
 * {@code concurrency} batches at once, so it must be thread-safe. A batch may be processed again: when it
 * throws a transient error (a retry), and when a run resumes after a crash that came before the batch's
 * checkpoint; make the handler idempotent per batch where that matters.
 *
 * @param <R> the record type
 */
@FunctionalInterface
public interface BatchHandler<R> {

    /**
     * Processes {@code records} (an unmodifiable list of 1 to batchSize records).
     *
     * @return the records that failed, one entry each (empty or null: all succeeded); the others count as
     *         succeeded. At most {@code records.size()} entries.
     * @throws Exception when the whole batch failed: retried with backoff when the config classifies the error
     *                   as transient and retries are left, else all its records count as failed
     */
    List<RecordFailure> process(List<R> records, BatchAttempt attempt) throws Exception;
}
