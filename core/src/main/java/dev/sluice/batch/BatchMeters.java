package dev.sluice.batch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * The Micrometer meters of the batch runs of one {@link BatchConfig}, tagged with its name. Made once per config,
 * so a run does no registry lookups; updated by the committing thread once per committed batch.
 */
final class BatchMeters {

    private final Counter succeeded;
    private final Counter failed;
    private final Counter retries;
    private final Counter failedBatches;
    private final Timer duration;

    BatchMeters(MeterRegistry registry, String name) {
        succeeded = records(registry, name, "succeeded");
        failed = records(registry, name, "failed");
        retries = Counter.builder("sluice.batch.retries").tag("batch", name)
                .description("Batches retried after a transient error").register(registry);
        failedBatches = Counter.builder("sluice.batch.failed").tag("batch", name)
                .description("Batches whose every record failed (the handler threw for good)").register(registry);
        duration = Timer.builder("sluice.batch.duration").tag("batch", name)
                .description("Time to process one committed batch, retries included").register(registry);
    }

    private static Counter records(MeterRegistry registry, String name, String outcome) {
        return Counter.builder("sluice.batch.records").tag("batch", name).tag("outcome", outcome)
                .description("Records in committed batches, by outcome").register(registry);
    }

    void committed(int succeededRecords, int failedRecords, boolean wholeBatchFailed, int batchRetries,
                   long nanos) {
        succeeded.increment(succeededRecords);
        failed.increment(failedRecords);
        if (wholeBatchFailed) {
            failedBatches.increment();
        }
        if (batchRetries > 0) {
            retries.increment(batchRetries);
        }
        duration.record(nanos, TimeUnit.NANOSECONDS);
    }
}
