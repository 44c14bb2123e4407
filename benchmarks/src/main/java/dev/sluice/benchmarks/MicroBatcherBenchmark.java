package dev.sluice.benchmarks;

import dev.sluice.batch.MicroBatcher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Records per second through {@link MicroBatcher} at several batch sizes, against what a user would write
 * instead in the same JMH run: an {@link ArrayBlockingQueue} of the same capacity drained by one thread
 * ({@code take}, then {@code drainTo} up to the batch size) that hands each batch to the same flusher.
 *
 * <p>One operation adds {@value #RECORDS} records from the benchmark thread and waits until all of them were
 * flushed ({@link MicroBatcher#flush()}; the queue: until the flusher counted them), so the primary score is
 * records per second ({@code @OperationsPerInvocation}). Flushers: {@code none} only counts the batch;
 * {@code io} also parks {@value #IO_MICROS} µs per batch, like one round trip to a database.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@OperationsPerInvocation(MicroBatcherBenchmark.RECORDS)
@State(Scope.Benchmark)
public class MicroBatcherBenchmark {

    static final int RECORDS = 100_000;
    static final int CAPACITY = 10_000;
    static final int IO_MICROS = 200;
    private static final Long RECORD = 42L;

    /** Records per flushed batch at most ({@code maxBatchSize}; the queue's drain limit). */
    @Param({"10", "100", "1000"})
    public int batchSize;

    /** What a flush does: {@code none} (count only) or {@code io} (park {@value #IO_MICROS} µs per batch). */
    @Param({"none", "io"})
    public String flush;

    private final AtomicLong flushed = new AtomicLong();
    private MicroBatcher<Long> batcher;
    private QueueBatcher queue;

    @Setup(Level.Trial)
    public void start() {
        if (!flush.equals("none") && !flush.equals("io")) {
            throw new IllegalArgumentException("flush must be none or io but was '" + flush + "'");
        }
        boolean io = flush.equals("io");
        Consumer<List<Long>> flusher = batch -> {
            if (io) {
                LockSupport.parkNanos(IO_MICROS * 1_000L);
            }
            flushed.addAndGet(batch.size());
        };
        // maxDelay is far above an operation's length: batches are cut by size, and by flush() at the end.
        batcher = MicroBatcher.builder(flusher).maxBatchSize(batchSize).maxDelay(Duration.ofSeconds(10))
                .capacity(CAPACITY).name("bench").build();
        queue = new QueueBatcher(batchSize, flusher);
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        batcher.close();
        queue.close();
    }

    @Benchmark
    public void microBatcher() throws InterruptedException {
        for (int i = 0; i < RECORDS; i++) {
            batcher.add(RECORD);
        }
        batcher.flush();
    }

    @Benchmark
    public void blockingQueue() throws InterruptedException {
        long target = flushed.get() + RECORDS;
        for (int i = 0; i < RECORDS; i++) {
            queue.add(RECORD);
        }
        while (flushed.get() < target) {
            LockSupport.parkNanos(10_000);
        }
    }

    /** The hand-written alternative: a bounded queue and one draining thread, no time-based flush. */
    static final class QueueBatcher {
        private final BlockingQueue<Long> items = new ArrayBlockingQueue<>(CAPACITY);
        private final Thread drainer;
        private volatile boolean running = true;

        QueueBatcher(int batchSize, Consumer<List<Long>> flusher) {
            drainer = new Thread(() -> {
                List<Long> batch = new ArrayList<>(batchSize);
                while (running) {
                    try {
                        Long first = items.poll(100, TimeUnit.MILLISECONDS);
                        if (first == null) {
                            continue;
                        }
                        batch.add(first);
                        items.drainTo(batch, batchSize - 1);
                        flusher.accept(List.copyOf(batch));
                        batch.clear();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-queue-drainer");
            drainer.setDaemon(true);
            drainer.start();
        }

        void add(Long item) throws InterruptedException {
            items.put(item);
        }

        void close() throws InterruptedException {
            running = false;
            drainer.join();
        }
    }
}
