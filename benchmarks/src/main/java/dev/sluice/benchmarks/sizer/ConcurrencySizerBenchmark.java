package dev.sluice.benchmarks.sizer;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The concurrency sizer as a JMH run: one trial per swept value, so JMH's own forks, warm-up and error bars apply.
 *
 * <pre>
 * java -cp benchmarks.jar:your-handlers.jar org.openjdk.jmh.Main ConcurrencySizerBenchmark \
 *     -p handler=com.example.SendInvoice -p concurrency=1,2,4,8,16,32 -p pointsFile=points.csv -rf json
 * java -cp benchmarks.jar dev.sluice.benchmarks.sizer.SizerCommand --from-points points.csv --out sizing
 * </pre>
 *
 * <p>One operation is one item, so the primary score is items (jobs or records) per second: for a job handler
 * the benchmark thread waits for a free in-flight slot and submits one job (for handlers of 10 µs and more; faster
 * ones are limited by the single submits, where the plain command submits in batches); for a batch handler it
 * hands one record to the processor's source through a bounded queue. The {@code failedItems} row counts failed
 * items per iteration. Each trial prints its point (p50/p99, error rate, heap over the measurement iterations) and,
 * with {@code -p pointsFile=FILE}, appends it to FILE as a CSV row; the command above then reports all of them
 * with the recommendation and the chart.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class ConcurrencySizerBenchmark {

    /** The handler's class: a JobHandler or a BatchHandler with a public no-argument constructor. */
    @Param("dev.sluice.benchmarks.sizer.samples.SleepingIoHandler")
    public String handler;

    /** A PayloadFactory's class; empty: null payloads for jobs, the index for batch records. */
    @Param("")
    public String payloads;

    /** Handlers at once: engine workers, or batches in flight. */
    @Param({"1", "2", "4", "8", "16", "32"})
    public int concurrency;

    /** Records per batch (batch handlers only). */
    @Param("100")
    public int batchSize;

    /** File the trial's point is appended to as a CSV row; empty: printed only. */
    @Param("")
    public String pointsFile;

    private SizerSubject subject;
    private HeapWatch heap;
    private int measured;

    @Setup(Level.Trial)
    public void start() {
        heap = new HeapWatch();
        subject = UserClasses.isBatchHandler(handler)
                ? SizerSubject.batches(handler, payloads, concurrency, batchSize)
                : SizerSubject.jobs(handler, payloads, concurrency);
    }

    @Setup(Level.Iteration)
    public void beginIteration(IterationParams params) {
        // One window over all measurement iterations: warm-up iterations are left out of the point.
        if (params.getType() == IterationType.MEASUREMENT && measured == 0) {
            heap.resetPeak();
            subject.meter().startWindow();
        }
    }

    @TearDown(Level.Iteration)
    public void endIteration(IterationParams params) throws IOException {
        if (params.getType() == IterationType.MEASUREMENT && ++measured == params.getCount()) {
            long peak = heap.peakBytes();
            SizingPoint point = subject.meter().endWindow(concurrency, subject.batchSize(), peak, heap.liveBytes());
            System.out.println();
            System.out.println("sizer point: " + SizingReport.describe(point));
            if (!pointsFile.isEmpty()) {
                Files.writeString(Path.of(pointsFile), point.toCsvRow() + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        subject.close();
        heap.close();
    }

    @Benchmark
    public void item(Failures failures) throws InterruptedException {
        subject.offerOne();
    }

    /** Items that failed in the iteration, next to the primary score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Failures {

        public long failedItems;
        private long atStart;

        @Setup(Level.Iteration)
        public void begin(ConcurrencySizerBenchmark bench) {
            atStart = bench.subject.meter().failedSoFar();
            failedItems = 0;
        }

        // JMH reads the counters after the iteration's tear-down methods, so this value is the one reported.
        @TearDown(Level.Iteration)
        public void end(ConcurrencySizerBenchmark bench) {
            failedItems = bench.subject.meter().failedSoFar() - atStart;
        }
    }
}
