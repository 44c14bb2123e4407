package dev.sluice.benchmarks;

import dev.sluice.JobRequest;
import dev.sluice.Sluice;
import org.openjdk.jmh.annotations.AuxCounters;
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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Submit-to-completion throughput of no-op jobs on the in-memory store, against what a user would pick instead
 * for in-process background work: a {@link ThreadPoolExecutor} with as many threads as the engine's
 * concurrency and a {@link LinkedBlockingQueue}, run in the same JMH run.
 *
 * <p>One operation is {@value #JOBS_PER_OPERATION} jobs: {@code sluice} submits them as no-op jobs (null payload)
 * in {@code submitAll} calls of {@code batch} each and parks until a listener has counted that many SUCCEEDED
 * events; {@code threadPoolExecutor} executes as many no-op tasks and awaits a {@link CountDownLatch}. Both reuse
 * one immutable request / task object, so neither measures the caller building its work items.
 *
 * <p>The primary score is jobs per second ({@code @OperationsPerInvocation}) for every {@code batch}, which must
 * divide {@value #JOBS_PER_OPERATION}; the secondary {@code :jobs} row counts the jobs actually run and matches it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@OperationsPerInvocation(EngineThroughputBenchmark.JOBS_PER_OPERATION)
@State(Scope.Benchmark)
public class EngineThroughputBenchmark {

    static final int JOBS_PER_OPERATION = 10_000;
    private static final String TYPE = "noop";
    /** Far above any healthy batch time: reaching it means the engine lost jobs, and the run fails loudly. */
    private static final Duration STUCK_AFTER = Duration.ofSeconds(60);

    /** Jobs per {@code submitAll} call (the engine only); must divide {@value #JOBS_PER_OPERATION}. */
    @Param("10000")
    public int batch;

    /** Engine workers, and the executor's threads. */
    @Param("2")
    public int concurrency;

    @Benchmark
    public void sluice(SluiceEngine engine, JobCount jobs) {
        for (int submitted = 0; submitted < JOBS_PER_OPERATION; submitted += batch) {
            engine.sluice.submitAll(engine.requests);
        }
        engine.expected += JOBS_PER_OPERATION;
        engine.succeeded.awaitAtLeast(engine.expected, STUCK_AFTER);
        jobs.jobs += JOBS_PER_OPERATION;
    }

    @Benchmark
    public void threadPoolExecutor(Pool pool, JobCount jobs) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(JOBS_PER_OPERATION);
        Runnable task = done::countDown;
        for (int i = 0; i < JOBS_PER_OPERATION; i++) {
            pool.executor.execute(task);
        }
        if (!done.await(STUCK_AFTER.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException(done.getCount() + " of " + JOBS_PER_OPERATION
                    + " tasks did not run within " + STUCK_AFTER);
        }
        jobs.jobs += JOBS_PER_OPERATION;
    }

    /** A started engine with a no-op handler on its own in-memory store, built once per trial. */
    @State(Scope.Benchmark)
    public static class SluiceEngine {

        /** Jobs the engine may claim beyond its free worker slots (see {@code Sluice.Builder#claimAhead}). */
        @Param("1024")
        public int claimAhead;

        /** Workers on virtual threads; needs Java 21+, otherwise the engine warns and uses platform threads. */
        @Param("false")
        public boolean virtualThreads;

        Sluice sluice;
        SucceededCounter succeeded;
        List<JobRequest> requests;
        long expected;

        @Setup(Level.Trial)
        public void start(EngineThroughputBenchmark shape) {
            if (shape.batch < 1 || JOBS_PER_OPERATION % shape.batch != 0) {
                throw new IllegalArgumentException("batch must divide " + JOBS_PER_OPERATION + " but was "
                        + shape.batch);
            }
            succeeded = new SucceededCounter();
            sluice = Sluice.builder()
                    .handler(TYPE, Void.class, (payload, context) -> null)
                    .concurrency(shape.concurrency)
                    .claimAhead(claimAhead)
                    .virtualThreads(virtualThreads)
                    .listener(succeeded)
                    .build()
                    .start();
            requests = Collections.nCopies(shape.batch, JobRequest.of(TYPE, null));
            expected = 0;
        }

        @TearDown(Level.Trial)
        public void close() {
            sluice.close();
            succeeded.requireExactly(expected);
        }
    }

    /** The alternative: a fixed pool of {@code concurrency} threads on an unbounded LinkedBlockingQueue. */
    @State(Scope.Benchmark)
    public static class Pool {

        ThreadPoolExecutor executor;

        @Setup(Level.Trial)
        public void start(EngineThroughputBenchmark shape) {
            executor = new ThreadPoolExecutor(shape.concurrency, shape.concurrency, 0, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>());
            executor.prestartAllCoreThreads();
        }

        @TearDown(Level.Trial)
        public void close() throws InterruptedException {
            executor.shutdown();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Jobs actually run, reported per second next to the primary score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class JobCount {

        public long jobs;

        @Setup(Level.Iteration)
        public void reset() {
            jobs = 0;
        }
    }
}
