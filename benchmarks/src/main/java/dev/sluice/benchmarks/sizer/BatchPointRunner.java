package dev.sluice.benchmarks.sizer;

import dev.sluice.batch.BatchConfig;
import dev.sluice.batch.BatchHandler;
import dev.sluice.batch.BatchProcessor;
import dev.sluice.batch.BatchRun;
import dev.sluice.batch.RecordSource;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;

/**
 * Measures one point of a batch handler: a {@link BatchProcessor} at {@code batchSize} × {@code concurrency} reads
 * an endless source of records until the window ends (no retries and no failure threshold, so every failure
 * counts once and never stops the run).
 */
final class BatchPointRunner<R> {

    /** Far above a healthy end of run: the batches in flight finish, nothing new is read. */
    private static final Duration END_LIMIT = Duration.ofMinutes(2);

    private final BatchHandler<R> handler;
    private final PayloadFactory<? extends R> records;

    BatchPointRunner(BatchHandler<R> handler, PayloadFactory<? extends R> records) {
        this.handler = handler;
        this.records = records;
    }

    SizingPoint run(int concurrency, int batchSize, Duration warmup, Duration window, HeapWatch heap)
            throws InterruptedException {
        CallMeter meter = new CallMeter();
        BatchProcessor processor = processor(concurrency, batchSize);
        EndlessRecords source = new EndlessRecords();
        BatchRun run = processor.start(RecordSource.fromIterator(() -> source), TimedHandlers.batch(handler, meter));
        try {
            Thread.sleep(warmup.toMillis());
            heap.resetPeak();
            meter.startWindow();
            Thread.sleep(window.toMillis());
            long peak = heap.peakBytes();
            SizingPoint point = meter.endWindow(concurrency, batchSize, peak, heap.liveBytes());
            if (run.isDone()) {
                throw new IllegalStateException("the batch run ended before its window did: "
                        + run.await(Duration.ZERO));
            }
            return point;
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        } finally {
            source.end();
            try {
                run.await(END_LIMIT);
            } catch (TimeoutException e) {
                run.cancel();
                throw new IllegalStateException("the batches in flight did not finish within " + END_LIMIT, e);
            }
        }
    }

    /** A processor for sizing: no retries and no failure threshold, so every failure counts once. */
    static BatchProcessor processor(int concurrency, int batchSize) {
        return BatchProcessor.of(BatchConfig.builder().batchSize(batchSize).concurrency(concurrency)
                .maxRetriesPerBatch(0).failureThresholdPercent(100).progressInterval(Duration.ofHours(1)).build());
    }

    /** Records from the factory until {@link #end()}. */
    private final class EndlessRecords implements Iterator<R> {
        private volatile boolean ended;
        private long next;

        void end() {
            ended = true;
        }

        @Override
        public boolean hasNext() {
            return !ended;
        }

        @Override
        public R next() {
            if (ended) {
                throw new NoSuchElementException();
            }
            return records.create(next++);
        }
    }
}
