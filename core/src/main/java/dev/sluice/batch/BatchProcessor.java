package dev.sluice.batch;

import dev.sluice.JobContext;
import dev.sluice.JobHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Processes the records of a {@link RecordSource} in batches of {@code batchSize}, {@code concurrency} batches at
 * once, with per-batch retries of transient errors, a failure threshold and a final {@link BatchReport}. Made by
 * {@link #of(BatchConfig)}; immutable and thread-safe: one processor may run many times, also at once.
 *
 * <pre>{@code
 * BatchProcessor processor = BatchProcessor.of(BatchConfig.builder().batchSize(1000).concurrency(4).build());
 * BatchReport report = processor.run(RecordSource.fromList(rows), (batch, attempt) -> {
 *     repository.upsertAll(batch);
 *     return List.of();
 * });
 * }</pre>
 *
 * <p><b>Memory.</b> At most {@code concurrency} batches are in flight plus one read ahead: the source is read only
 * when a worker is free (backpressure), and a finished batch keeps no reference to its records. Memory does not
 * grow with the number of records; the report's lists of failures are capped.
 *
 * <p><b>Batches.</b> Batch {@code i} holds the source's records {@code i × batchSize} to
 * {@code (i + 1) × batchSize - 1}; the same in every run over the same source. A batch is <i>committed</i> once
 * it finished (its records succeeded or failed, after its retries) and, as a job, once its checkpoint is stored.
 *
 * <p><b>Failures.</b> A batch that throws an error the config classifies as transient is retried up to
 * {@code maxRetriesPerBatch} times with exponential backoff and jitter; any other error, or the last retry's,
 * fails all its records. After each commit, once at least {@code failureThresholdMinRecords} records were
 * processed, a failed share above {@code failureThresholdPercent} stops the run: no new batch starts, the ones in
 * flight finish, and the report says FAILED.
 *
 * <p><b>As a job.</b> {@link #asJobHandler} makes a {@link JobHandler} to register with Sluice. It saves a
 * checkpoint after every committed batch and resumes from the job's last checkpoint, on any node, without
 * processing committed batches again (see {@link JobContext#saveCheckpoint}). Progress shows on the job's
 * {@code JobInfo} when the source knows its size.
 */
public final class BatchProcessor {

    private static final Logger log = LoggerFactory.getLogger(BatchProcessor.class);

    private final BatchConfig config;

    private BatchProcessor(BatchConfig config) {
        this.config = config;
    }

    public static BatchProcessor of(BatchConfig config) {
        return new BatchProcessor(Objects.requireNonNull(config, "config"));
    }

    public BatchConfig config() {
        return config;
    }

    /**
     * Runs on the calling thread (with {@code concurrency} worker threads of its own) until the source is used up
     * or the threshold trips. Interrupting the calling thread cancels the run (status CANCELLED, the interrupt
     * flag is set again).
     *
     * @throws dev.sluice.SluiceException when the source cannot be opened or read; batches in flight finish first
     */
    public <R> BatchReport run(RecordSource<R> source, BatchHandler<R> handler) {
        return run(source, handler, RunHooks.standalone(() -> false, this::notifyListener));
    }

    /** Starts a run on a new thread; the returned handle cancels it or waits for its report. */
    public <R> BatchRun start(RecordSource<R> source, BatchHandler<R> handler) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(handler, "handler");
        CompletableFuture<BatchReport> future = new CompletableFuture<>();
        BatchRun handle = new BatchRun(future);
        Thread t = new Thread(() -> {
            try {
                future.complete(run(source, handler, RunHooks.standalone(handle::isCancelled, this::notifyListener)));
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }, "sluice-batch-run");
        t.setDaemon(true);
        t.start();
        return handle;
    }

    /**
     * A job handler that runs this processor over the source that {@code sources} makes from the job's payload
     * (a new source per attempt). Each attempt resumes from the job's checkpoint; after every committed batch it
     * stores a new one and only then commits the next. The job SUCCEEDS with {@link BatchReport#summaryJson()}
     * as its result; a FAILED run ends it DEAD at once with a {@link BatchFailedException}; a cancel (or lost
     * lease, or timeout) stops it within the batches in flight, and the checkpoint stays for a later retry.
     * The source and the handler must give the same records in the same order on every node.
     */
    public <P, R> JobHandler<P> asJobHandler(Function<? super P, ? extends RecordSource<R>> sources,
                                             BatchHandler<R> handler) {
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(handler, "handler");
        return (payload, context) -> {
            RecordSource<R> source = Objects.requireNonNull(sources.apply(payload),
                    "record source made for job " + context.jobId());
            BatchReport report = run(source, handler, jobHooks(context));
            if (report.status() == BatchReport.Status.FAILED) {
                throw new BatchFailedException(report);
            }
            if (report.status() == BatchReport.Status.CANCELLED) {
                context.throwIfStopped();
            }
            return report.summaryJson();
        };
    }

    private <R> BatchReport run(RecordSource<R> source, BatchHandler<R> handler, RunHooks hooks) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(handler, "handler");
        BatchReport report = new BatchRunner<>(config, source, handler, hooks).run();
        if (config.onComplete() != null) {
            try {
                config.onComplete().accept(report);
            } catch (RuntimeException e) {
                log.warn("batch completion listener failed", e);
            }
        }
        return report;
    }

    private RunHooks jobHooks(JobContext context) {
        return new RunHooks() {
            @Override
            public byte[] resumeCheckpoint() {
                return context.checkpoint().orElse(null);
            }

            @Override
            public void saveCheckpoint(byte[] checkpoint) {
                context.saveCheckpoint(checkpoint);
            }

            @Override
            public boolean stopRequested() {
                return context.shouldStop();
            }

            @Override
            public void progress(BatchProgress progress) {
                if (progress.totalRecords() >= 0) {
                    context.reportProgress(progress.doneRecords(), progress.totalRecords());
                }
                notifyListener(progress);
            }
        };
    }

    private void notifyListener(BatchProgress progress) {
        if (config.onProgress() != null) {
            config.onProgress().accept(progress);
        }
    }
}
