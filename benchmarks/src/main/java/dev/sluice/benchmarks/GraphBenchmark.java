package dev.sluice.benchmarks;

import dev.sluice.JobRequest;
import dev.sluice.Sluice;
import dev.sluice.graph.JobGraph;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A fan-out/fan-in dependency graph of {@code size} no-op jobs on the in-memory store, end to end: one root job,
 * {@code size - 2} children that each wait for the root, and one sink that waits for all children. Against what a
 * user would pick instead in one JVM: the same shape of {@link CompletableFuture}s on a fixed pool of
 * {@code concurrency} threads, in the same JMH run.
 *
 * <p>{@code graph}: one operation builds the {@link JobGraph} (validation and ordering included), submits it with
 * one {@code Sluice.submit} (one store enqueue) and parks until a listener has counted {@code size} SUCCEEDED
 * events. {@code prebuiltGraph}: the same with a graph built once per trial, so the figure is the engine and the
 * store only. {@code completableFutures}: {@code runAsync} for the root, {@code thenRunAsync} for each child,
 * {@code allOf(children).thenRunAsync} for the sink, joined.
 *
 * <p>The primary score is jobs per second through {@code @OperationsPerInvocation(100000)}: exact for the default
 * {@code size} only; for another size read the {@code :jobs} row, a counter of the jobs actually run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@OperationsPerInvocation(GraphBenchmark.DEFAULT_SIZE)
@State(Scope.Benchmark)
public class GraphBenchmark {

    static final int DEFAULT_SIZE = 100_000;
    private static final String TYPE = "noop";
    /** Far above any healthy run: reaching it means the engine lost jobs, and the run fails loudly. */
    private static final Duration STUCK_AFTER = Duration.ofSeconds(60);

    /** Jobs per graph: the root, size - 2 children, the sink. At most 100,000 (the graph size limit). */
    @Param("100000")
    public int size;

    /** Engine workers, and the pool's threads. */
    @Param("2")
    public int concurrency;

    @Benchmark
    public void graph(SluiceEngine engine, EngineThroughputBenchmark.JobCount count) {
        engine.run(fanOutFanIn(size));
        count.jobs += size;
    }

    @Benchmark
    public void prebuiltGraph(SluiceEngine engine, EngineThroughputBenchmark.JobCount count) {
        engine.run(engine.prebuilt);
        count.jobs += size;
    }

    @Benchmark
    public void completableFutures(Pool pool, EngineThroughputBenchmark.JobCount count) throws Exception {
        Runnable noop = () -> { };
        CompletableFuture<Void> root = CompletableFuture.runAsync(noop, pool.executor);
        CompletableFuture<?>[] children = new CompletableFuture<?>[size - 2];
        for (int i = 0; i < children.length; i++) {
            children[i] = root.thenRunAsync(noop, pool.executor);
        }
        CompletableFuture.allOf(children).thenRunAsync(noop, pool.executor)
                .get(STUCK_AFTER.toSeconds(), TimeUnit.SECONDS);
        count.jobs += size;
    }

    /** One root, {@code size - 2} children of the root, one sink that waits for every child. */
    static JobGraph fanOutFanIn(int size) {
        JobRequest request = JobRequest.of(TYPE, null);
        JobGraph.Builder builder = JobGraph.builder().job("root", request).job("sink", request);
        List<String> children = new ArrayList<>(size - 2);
        for (int i = 0; i < size - 2; i++) {
            String key = "c" + i;
            builder.job(key, request);
            children.add(key);
        }
        return builder.fanOut("root", children).dependsOnAll("sink", children).build();
    }

    /** A started engine with a no-op handler on its own in-memory store, built once per trial. */
    @State(Scope.Benchmark)
    public static class SluiceEngine {

        /** Jobs the engine may claim beyond its free worker slots (see {@code Sluice.Builder#claimAhead}). */
        @Param("1024")
        public int claimAhead;

        Sluice sluice;
        SucceededCounter succeeded;
        JobGraph prebuilt;
        long expected;

        @Setup(Level.Trial)
        public void start(GraphBenchmark shape) {
            succeeded = new SucceededCounter();
            sluice = Sluice.builder()
                    .handler(TYPE, Void.class, (payload, context) -> null)
                    .concurrency(shape.concurrency)
                    .claimAhead(claimAhead)
                    .listener(succeeded)
                    .build()
                    .start();
            prebuilt = fanOutFanIn(shape.size);
            expected = 0;
        }

        void run(JobGraph graph) {
            sluice.submit(graph);
            expected += graph.size();
            succeeded.awaitAtLeast(expected, STUCK_AFTER);
        }

        @TearDown(Level.Trial)
        public void close() {
            sluice.close();
            succeeded.requireExactly(expected);
        }
    }

    /** The alternative's threads: a fixed pool of {@code concurrency}. */
    @State(Scope.Benchmark)
    public static class Pool {

        ExecutorService executor;

        @Setup(Level.Trial)
        public void start(GraphBenchmark shape) {
            executor = Executors.newFixedThreadPool(shape.concurrency);
        }

        @TearDown(Level.Trial)
        public void close() throws InterruptedException {
            executor.shutdown();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
