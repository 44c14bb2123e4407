package dev.sluice.batch;

import dev.sluice.SluiceException;
import io.github.resilience4j.core.IntervalFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run. The calling thread coordinates: it reads a batch, hands it to a worker when fewer than
 * {@code concurrency} batches are in flight (else it waits, which is the backpressure on the source), and commits
 * finished batches one at a time: counts, checkpoint (durable before the next commit), progress, threshold.
 * Only the coordinator touches the run's state, so it needs no locks; workers hand results back through a queue.
 */
final class BatchRunner<R> {

    private static final Logger log = LoggerFactory.getLogger(BatchRunner.class);
    /**
     * Worker threads shared by all runs. A run hands it at most {@code concurrency} batches at a time (the
     * coordinator counts them), so it holds about as many threads as there are batches in flight across runs;
     * idle threads end after 60 s. Sharing them spares each run the start and end of {@code concurrency} threads
     * (0.1 to 0.2 ms each on a small VM), which was most of the overhead of a short run against a reused pool.
     */
    private static final ExecutorService WORKERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60,
            TimeUnit.SECONDS, new SynchronousQueue<>(), threads());

    private final BatchConfig config;
    private final RecordSource<R> source;
    private final BatchHandler<R> handler;
    private final RunHooks hooks;
    private final IntervalFunction backoff;
    /** Batches the coordinator may read beyond the first uncommitted one: bounds the checkpoint's size. */
    private final long window;

    private final LinkedBlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
    private final CountDownLatch stopLatch = new CountDownLatch(1);
    private volatile boolean stopping;

    // coordinator state
    private long watermark;
    private String cursor;
    private final TreeMap<Long, String> committedAbove = new TreeMap<>();
    private long succeeded;
    private long failed;
    private long failedBatches;
    private long retries;
    private long committedBatches;
    private long recordsThisRun;
    private final List<RecordFailure> failures = new ArrayList<>();
    private final List<BatchReport.FailedBatch> failedBatchList = new ArrayList<>();
    private final LatencyHistogram latencies = new LatencyHistogram();
    private long peakHeap;
    private long lastProgressMillis = Long.MIN_VALUE;
    private long total = -1;
    private BatchReport.Status outcome;

    BatchRunner(BatchConfig config, RecordSource<R> source, BatchHandler<R> handler, RunHooks hooks) {
        this.config = config;
        this.source = source;
        this.handler = handler;
        this.hooks = hooks;
        this.backoff = config.retryJitter() == 0
                ? IntervalFunction.ofExponentialBackoff(config.retryInitialBackoff(), 2.0, config.retryMaxBackoff())
                : IntervalFunction.ofExponentialRandomBackoff(config.retryInitialBackoff(), 2.0,
                config.retryJitter(), config.retryMaxBackoff());
        this.window = 4L * config.concurrency() + 1;
    }

    /**
     * Runs to the end, a threshold trip or a stop, and returns the report.
     *
     * @throws SluiceException when the source cannot be read or a checkpoint cannot be saved; batches committed
     *                         before stay committed (and checkpointed)
     */
    BatchReport run() {
        long startNanos = System.nanoTime();
        long resumedFrom = resume();
        boolean interrupted = false;
        Throwable fatal = null;
        int inFlight = 0;
        try {
            source.open(cursor);
            OptionalLong size = source.size();
            total = size.isPresent() ? size.getAsLong() : -1;
            long readIndex = watermark;
            Loaded<R> pending = null;
            boolean exhausted = false;
            while (true) {
                Finished f;
                while ((f = finished.poll()) != null) {
                    inFlight--;
                    commit(f);
                }
                if (!stopping && hooks.stopRequested()) {
                    stop(BatchReport.Status.CANCELLED);
                }
                if (stopping) {
                    break;
                }
                if (pending == null && !exhausted && readIndex < watermark + window) {
                    List<R> records = source.read(config.batchSize());
                    String after = source.cursor();
                    if (records.isEmpty()) {
                        exhausted = true;
                    } else if (records.size() > config.batchSize()) {
                        throw new IllegalStateException("the source returned " + records.size()
                                + " records when asked for at most " + config.batchSize());
                    } else if (committedAbove.containsKey(readIndex)) {
                        // Committed by an earlier run beyond its watermark: read past it, do not process it again.
                        committedAbove.put(readIndex, after);
                        advanceWatermark();
                    } else {
                        pending = new Loaded<>(readIndex, records, after);
                    }
                    if (!records.isEmpty()) {
                        readIndex++;
                    }
                    continue;
                }
                if (pending != null && inFlight < config.concurrency()) {
                    Loaded<R> batch = pending;
                    pending = null;
                    WORKERS.execute(() -> finished.add(process(batch)));
                    inFlight++;
                    continue;
                }
                if (inFlight == 0 && pending == null) {
                    break; // exhausted (the window cannot be full with nothing in flight)
                }
                try {
                    f = finished.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    // A job's cancel interrupts this thread: stop within the batches in flight.
                    interrupted = true;
                    stop(BatchReport.Status.CANCELLED);
                    continue;
                }
                if (f != null) {
                    inFlight--;
                    commit(f);
                }
            }
        } catch (Throwable e) {
            fatal = e instanceof RuntimeException || e instanceof Error ? e
                    : new SluiceException("batch run stopped at batch " + watermark + ": " + e, e);
            stop(null);
        } finally {
            // Let the batches in flight finish (at most one batch time) and commit them, so that the checkpoint
            // covers all the work done.
            while (inFlight > 0) {
                Finished f;
                try {
                    f = finished.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                    continue;
                }
                inFlight--;
                try {
                    commit(f);
                } catch (Throwable e) {
                    if (fatal == null) {
                        fatal = e;
                    }
                }
            }
            try {
                source.close();
            } catch (Exception e) {
                log.warn("closing the record source failed", e);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (fatal instanceof Error) {
            throw (Error) fatal;
        }
        if (fatal != null) {
            throw (RuntimeException) fatal;
        }
        BatchReport.Status status = outcome != null ? outcome : BatchReport.Status.SUCCEEDED;
        emitProgress(true);
        return report(status, startNanos, resumedFrom);
    }

    private long resume() {
        byte[] bytes = hooks.resumeCheckpoint();
        if (bytes == null) {
            return 0;
        }
        Checkpoint cp = Checkpoint.decode(bytes);
        if (cp.batchSize() != config.batchSize()) {
            throw new IllegalStateException("cannot resume: the checkpoint was made with batchSize "
                    + cp.batchSize() + " but this processor has batchSize " + config.batchSize()
                    + "; batch boundaries would differ");
        }
        watermark = cp.watermark();
        cursor = cp.cursor();
        for (long index : cp.committedAbove()) {
            committedAbove.put(index, null); // its cursor is known once it is read past again
        }
        succeeded = cp.succeeded();
        failed = cp.failed();
        failedBatches = cp.failedBatches();
        retries = cp.retries();
        committedBatches = cp.committedBatches();
        failures.addAll(cp.failures());
        failedBatchList.addAll(cp.failedBatchList());
        return watermark;
    }

    private Finished process(Loaded<R> batch) {
        long start = System.nanoTime();
        List<R> records = Collections.unmodifiableList(batch.records);
        long offset = batch.index * config.batchSize();
        int batchRetries = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                List<RecordFailure> recordFailures = handler.process(records, new BatchAttempt(batch.index, offset,
                        attempt, () -> stopping));
                if (recordFailures == null) {
                    recordFailures = List.of();
                }
                if (recordFailures.size() > records.size()) {
                    throw new IllegalStateException("batch handler reported " + recordFailures.size()
                            + " failures for a batch of " + records.size() + " records");
                }
                return new Finished(batch.index, offset, records.size(), batch.cursorAfter, recordFailures, null,
                        batchRetries, System.nanoTime() - start, false);
            } catch (Throwable e) {
                if (e instanceof VirtualMachineError) {
                    log.error("batch {} threw {}", batch.index, e.toString());
                }
                boolean retry = attempt <= config.maxRetriesPerBatch() && !(e instanceof VirtualMachineError)
                        && config.isTransient(e);
                if (retry && !stopping) {
                    batchRetries++;
                    try {
                        if (stopLatch.await(backoff.apply(attempt), TimeUnit.MILLISECONDS)) {
                            return abandoned(batch, offset, batchRetries, start);
                        }
                    } catch (InterruptedException ie) {
                        return abandoned(batch, offset, batchRetries, start);
                    }
                    continue;
                }
                if (retry) {
                    // Stopping: a batch that could still succeed is left uncommitted; a resumed run redoes it.
                    return abandoned(batch, offset, batchRetries, start);
                }
                String reason = Checkpoint.cut(e.toString());
                return new Finished(batch.index, offset, records.size(), batch.cursorAfter, List.of(), reason,
                        batchRetries, System.nanoTime() - start, false);
            }
        }
    }

    private Finished abandoned(Loaded<R> batch, long offset, int batchRetries, long start) {
        return new Finished(batch.index, offset, batch.records.size(), batch.cursorAfter, List.of(), null,
                batchRetries, System.nanoTime() - start, true);
    }

    private void commit(Finished f) {
        retries += f.retries;
        if (f.abandoned) {
            return;
        }
        int failedHere = f.batchError != null ? f.records : f.failures.size();
        failed += failedHere;
        succeeded += f.records - failedHere;
        recordsThisRun += f.records;
        committedBatches++;
        if (f.batchError != null) {
            failedBatches++;
            if (failedBatchList.size() < config.maxFailuresInReport()) {
                failedBatchList.add(new BatchReport.FailedBatch(f.index, f.offset, f.records, f.batchError));
            }
        }
        for (RecordFailure rf : f.failures) {
            if (failures.size() >= config.maxFailuresInReport()) {
                break;
            }
            failures.add(new RecordFailure(rf.recordId(), Checkpoint.cut(rf.reason())));
        }
        latencies.record(f.nanos);
        BatchMeters meters = config.meters();
        if (meters != null) {
            meters.committed(f.records - failedHere, failedHere, f.batchError != null, f.retries, f.nanos);
        }
        committedAbove.put(f.index, f.cursorAfter);
        advanceWatermark();
        hooks.saveCheckpoint(checkpoint().encode());
        Runtime rt = Runtime.getRuntime();
        peakHeap = Math.max(peakHeap, rt.totalMemory() - rt.freeMemory());
        emitProgress(false);
        long processed = succeeded + failed;
        if (outcome == null && processed > 0 && processed >= config.failureThresholdMinRecords()
                && failed * 100.0 > config.failureThresholdPercent() * processed) {
            log.warn("batch run stops: {} of {} processed records failed, over the threshold of {}%", failed,
                    processed, config.failureThresholdPercent());
            stop(BatchReport.Status.FAILED);
        }
    }

    private void advanceWatermark() {
        Map.Entry<Long, String> next;
        while ((next = committedAbove.firstEntry()) != null && next.getKey() == watermark
                && next.getValue() != null) {
            committedAbove.pollFirstEntry();
            cursor = next.getValue();
            watermark++;
        }
    }

    private Checkpoint checkpoint() {
        long[] above = committedAbove.keySet().stream().mapToLong(Long::longValue).toArray();
        return new Checkpoint(config.batchSize(), watermark, cursor, above, succeeded, failed, failedBatches,
                retries, committedBatches, List.copyOf(failures), List.copyOf(failedBatchList));
    }

    private void stop(BatchReport.Status why) {
        if (outcome == null && why != null) {
            outcome = why;
        }
        stopping = true;
        stopLatch.countDown();
    }

    private void emitProgress(boolean last) {
        long now = config.clock().millis();
        if (!last && lastProgressMillis != Long.MIN_VALUE
                && now - lastProgressMillis < config.progressInterval().toMillis()) {
            return;
        }
        lastProgressMillis = now;
        long done = succeeded + failed;
        BatchProgress p = new BatchProgress(done, total < 0 ? -1 : Math.max(total, done), committedBatches,
                failed);
        try {
            hooks.progress(p);
        } catch (RuntimeException e) {
            log.warn("progress report failed", e);
        }
    }

    private BatchReport report(BatchReport.Status status, long startNanos, long resumedFrom) {
        long nanos = System.nanoTime() - startNanos;
        double seconds = nanos / 1e9;
        return new BatchReport(status, succeeded + failed, committedBatches, succeeded, failed, failedBatches,
                retries, nanos / 1_000_000, seconds > 0 ? recordsThisRun / seconds : 0, latencies.meanMillis(),
                latencies.quantileMillis(0.95), peakHeap, resumedFrom, failures, failedBatchList);
    }

    private static ThreadFactory threads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "sluice-batch-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A batch read from the source and not yet finished. */
    private record Loaded<R>(long index, List<R> records, String cursorAfter) {
    }

    /** A finished batch, without its records (so that they can be collected at once). */
    private record Finished(long index, long offset, int records, String cursorAfter, List<RecordFailure> failures,
                            String batchError, int retries, long nanos, boolean abandoned) {
    }
}
