package dev.sluice.benchmarks;

import dev.sluice.batch.BatchConfig;
import dev.sluice.batch.BatchHandler;
import dev.sluice.batch.BatchProcessor;
import dev.sluice.batch.BatchReport;
import dev.sluice.batch.RecordSource;
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
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;

/**
 * Records per second of {@link BatchProcessor} against what a user would write instead, in the same JMH run: a
 * hand-written loop that cuts the same iterator into the same chunks and runs them on a fixed pool of
 * {@code concurrency} threads, bounded by a semaphore (no retries, checkpoints, threshold or report).
 *
 * <p>One operation is one run over {@link #RECORDS} records, streamed from an iterator (never held in a list).
 * The score is records per second ({@code @OperationsPerInvocation}). Workloads: {@code cpu} hashes every record
 * (about 0.1 µs each); {@code io} parks 1 ms per batch, like a round trip to a database.
 *
 * <p>Live heap (after GC) for 10M against 100k records is measured by {@link HeapCheck#main}, one JVM per size.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@OperationsPerInvocation(BatchProcessorBenchmark.RECORDS)
@State(Scope.Benchmark)
public class BatchProcessorBenchmark {

    static final int RECORDS = 100_000;

    @Param({"100", "1000", "5000"})
    public int batchSize;

    @Param({"1", "2", "4", "8"})
    public int concurrency;

    @Param({"cpu", "io"})
    public String workload;

    private BatchProcessor processor;
    private BatchHandler<Long> handler;
    private ExecutorService pool;
    private final AtomicLong sink = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() {
        processor = BatchProcessor.of(BatchConfig.builder().batchSize(batchSize).concurrency(concurrency)
                .progressInterval(Duration.ofSeconds(2)).build());
        boolean io = workload.equals("io");
        handler = (batch, attempt) -> {
            work(batch, io);
            return List.of();
        };
        pool = Executors.newFixedThreadPool(concurrency);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.shutdownNow();
    }

    private void work(List<Long> batch, boolean io) {
        if (io) {
            LockSupport.parkNanos(1_000_000);
            sink.addAndGet(batch.size());
            return;
        }
        long h = 0;
        for (Long r : batch) {
            long x = r;
            for (int i = 0; i < 16; i++) {
                x = x * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E5L;
                x ^= x >>> 29;
            }
            h += x;
        }
        sink.addAndGet(h);
    }

    static Iterator<Long> records(long n) {
        return LongStream.range(0, n).boxed().iterator();
    }

    @Benchmark
    public BatchReport batchProcessor() {
        BatchReport report = processor.run(RecordSource.fromIterator(() -> records(RECORDS)), handler);
        if (report.totalRecords() != RECORDS) {
            throw new IllegalStateException("processed " + report.totalRecords() + " of " + RECORDS);
        }
        return report;
    }

    @Benchmark
    public long handLoop() throws InterruptedException {
        boolean io = workload.equals("io");
        Semaphore slots = new Semaphore(concurrency);
        Iterator<Long> it = records(RECORDS);
        AtomicLong done = new AtomicLong();
        while (it.hasNext()) {
            List<Long> chunk = new ArrayList<>(batchSize);
            while (chunk.size() < batchSize && it.hasNext()) {
                chunk.add(it.next());
            }
            slots.acquire();
            pool.execute(() -> {
                try {
                    work(chunk, io);
                    done.addAndGet(chunk.size());
                } finally {
                    slots.release();
                }
            });
        }
        slots.acquire(concurrency);
        if (done.get() != RECORDS) {
            throw new IllegalStateException("processed " + done.get() + " of " + RECORDS);
        }
        return done.get();
    }

    /**
     * Live heap during one run over N records (args: N [batchSize [concurrency [samples]]]), CPU workload; run
     * one JVM per size with the same flags and compare the {@code liveMax} figures.
     *
     * <p>The live heap is what is left after a full collection: at about {@code samples} evenly spaced batches
     * (by batch index, so short and long runs get the same number of samples), the handler of that batch calls
     * {@link System#gc()} and reads {@link java.lang.management.MemoryMXBean#getHeapMemoryUsage()}, while the
     * other batches stay in flight. One sample at a time; the sampling batch waits, the others go on. It also
     * prints the live heap before the run ({@code liveBefore}), and, for comparison only, the heap pools' peak
     * use and the processor's own {@code peakHeapBytes}: both count garbage not yet collected, so they grow with
     * the time between collections and say little about retained memory.
     */
    public static final class HeapCheck {
        public static void main(String[] args) {
            long n = Long.parseLong(args[0]);
            int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
            int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 4;
            int samples = args.length > 3 ? Integer.parseInt(args[3]) : 20;
            long batches = (n + batchSize - 1) / batchSize;
            long stride = Math.max(1, batches / samples);
            java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
            BatchProcessorBenchmark b = new BatchProcessorBenchmark();
            BatchProcessor processor = BatchProcessor.of(BatchConfig.builder().batchSize(batchSize)
                    .concurrency(concurrency).build());
            long liveBefore = liveHeap(memory);
            for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory
                    .getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
            Object sampling = new Object();
            List<Long> live = java.util.Collections.synchronizedList(new ArrayList<>());
            BatchReport report = processor.run(RecordSource.fromIterator(() -> records(n)), (batch, attempt) -> {
                b.work(batch, false);
                if (attempt.attempt() == 1 && attempt.batchIndex() % stride == 0) {
                    synchronized (sampling) {
                        live.add(liveHeap(memory));
                    }
                }
                return List.of();
            });
            long poolPeak = 0;
            for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory
                    .getMemoryPoolMXBeans()) {
                if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                    poolPeak += pool.getPeakUsage().getUsed();
                }
            }
            List<Long> sorted = new ArrayList<>(live);
            sorted.sort(null);
            long liveMax = sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1);
            long liveMedian = sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
            System.out.printf("records=%d batchSize=%d concurrency=%d status=%s totalRecords=%d"
                            + " liveBefore=%d liveSamples=%d liveMedian=%d liveMax=%d liveMaxAboveBefore=%d"
                            + " peakHeapPoolsInclGarbage=%d reportPeakHeapInclGarbage=%d maxHeap=%d%n", n,
                    batchSize, concurrency, report.status(), report.totalRecords(), liveBefore, sorted.size(),
                    liveMedian, liveMax, liveMax - liveBefore, poolPeak, report.peakHeapBytes(),
                    Runtime.getRuntime().maxMemory());
            if (report.totalRecords() != n) {
                throw new IllegalStateException("processed " + report.totalRecords() + " of " + n);
            }
        }

        /** Heap in use right after a full collection: the live set (with -XX:+DisableExplicitGC it is not). */
        private static long liveHeap(java.lang.management.MemoryMXBean memory) {
            System.gc();
            return memory.getHeapMemoryUsage().getUsed();
        }
    }
}
