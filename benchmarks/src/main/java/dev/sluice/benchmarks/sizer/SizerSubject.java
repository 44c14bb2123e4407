package dev.sluice.benchmarks.sizer;

import dev.sluice.JobHandler;
import dev.sluice.JobRequest;
import dev.sluice.Sluice;
import dev.sluice.batch.BatchHandler;
import dev.sluice.batch.BatchRun;
import dev.sluice.batch.RecordSource;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;

/** What {@link ConcurrencySizerBenchmark} drives one item at a time: an engine, or a batch processor. */
abstract class SizerSubject {

    private static final Duration END_LIMIT = Duration.ofMinutes(2);

    final CallMeter meter = new CallMeter();

    CallMeter meter() {
        return meter;
    }

    /** Records per batch, 0 for jobs. */
    abstract int batchSize();

    /** Hands one item (a job, a record) to the handler's runner, waiting while it is full. */
    abstract void offerOne() throws InterruptedException;

    abstract void close() throws InterruptedException;

    @SuppressWarnings({"unchecked", "rawtypes"})
    static SizerSubject jobs(String handlerClass, String payloadsClass, int concurrency) {
        PayloadFactory payloads = UserClasses.payloads(payloadsClass, false);
        JobPointRunner<?> runner = new JobPointRunner(payloads.payloadClass(),
                UserClasses.instantiate(handlerClass, JobHandler.class), payloads, null, builder -> { });
        return new Jobs(runner, concurrency);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static SizerSubject batches(String handlerClass, String payloadsClass, int concurrency, int batchSize) {
        return new Batches(UserClasses.instantiate(handlerClass, BatchHandler.class),
                UserClasses.payloads(payloadsClass, true), concurrency, batchSize);
    }

    /** Submits one job per item once an in-flight slot is free. */
    private static final class Jobs extends SizerSubject {
        private final JobPointRunner<?> runner;
        private final Semaphore inFlight;
        private final Sluice sluice;
        private long next;

        Jobs(JobPointRunner<?> runner, int concurrency) {
            this.runner = runner;
            this.inFlight = new Semaphore(JobPointRunner.inFlightLimit(concurrency));
            this.sluice = runner.startEngine(concurrency, meter, inFlight);
        }

        @Override
        int batchSize() {
            return 0;
        }

        @Override
        void offerOne() throws InterruptedException {
            inFlight.acquire();
            sluice.submit(JobRequest.of(JobPointRunner.TYPE, runner.payload(next++)));
        }

        @Override
        void close() {
            sluice.close();
        }
    }

    /** Puts one record per item into a bounded queue that the processor's source reads. */
    private static final class Batches extends SizerSubject {
        private static final Object END = new Object();
        private final BlockingQueue<Object> queue;
        private final PayloadFactory<?> records;
        private final int batchSize;
        private final BatchRun run;
        private long next;

        <R> Batches(BatchHandler<R> handler, PayloadFactory<? extends R> records, int concurrency, int batchSize) {
            this.records = records;
            this.batchSize = batchSize;
            this.queue = new ArrayBlockingQueue<>(2 * batchSize * concurrency);
            QueuedRecords<R> source = new QueuedRecords<>(queue);
            this.run = BatchPointRunner.processor(concurrency, batchSize).start(RecordSource.fromIterator(() -> source), TimedHandlers.batch(handler, meter));
        }

        @Override
        int batchSize() {
            return batchSize;
        }

        @Override
        void offerOne() throws InterruptedException {
            queue.put(records.create(next++));
        }

        @Override
        void close() throws InterruptedException {
            queue.put(END);
            try {
                run.await(END_LIMIT);
            } catch (TimeoutException e) {
                run.cancel();
                throw new IllegalStateException("the batches in flight did not finish within " + END_LIMIT, e);
            }
        }

        /** Records taken from the queue until END. */
        private static final class QueuedRecords<R> implements Iterator<R> {
            private final BlockingQueue<Object> queue;
            private Object pending;

            QueuedRecords(BlockingQueue<Object> queue) {
                this.queue = queue;
            }

            @Override
            public boolean hasNext() {
                if (pending == null) {
                    try {
                        pending = queue.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                return pending != END;
            }

            @Override
            @SuppressWarnings("unchecked")
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                R record = (R) pending;
                pending = null;
                return record;
            }
        }
    }
}
