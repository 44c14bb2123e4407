package dev.sluice.benchmarks;

import dev.sluice.JobRequest;
import dev.sluice.Sluice;
import dev.sluice.store.JobStore;
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
import java.util.concurrent.TimeUnit;

/**
 * Throughput of no-op jobs through a store: the in-memory store (what a user picks for one JVM) against the
 * JDBC store on PostgreSQL and the Redis store (what a user picks for durability and several nodes), in the same
 * JMH run: {@code -p store=memory,postgres,redis} (the default runs all three).
 *
 * <ul>
 *   <li>{@code bulkEnqueue}: one operation is one {@code submitAll} of {@value #ENQUEUE_BATCH} no-op jobs on a
 *       producer-only engine (nothing runs them). Score: jobs stored per second. The store is emptied after
 *       every iteration, so each iteration starts from an empty table.</li>
 *   <li>{@code endToEnd}: one operation submits {@value #END_TO_END_BATCH} no-op jobs with one {@code submitAll}
 *       and parks until a listener has counted as many SUCCEEDED events: claim, run and completion included.
 *       Score: jobs per second. Finished jobs stay in the table, as they would in production.</li>
 * </ul>
 *
 * <p>Each trial's store lives on a namespace of its own, removed at the trial's end: see {@link PostgresBenchStore}
 * (a fresh schema) and {@link RedisBenchStore} (a fresh key prefix). Engines: concurrency {@value #CONCURRENCY},
 * claimAhead {@value #CLAIM_AHEAD}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// 4 GB: an in-memory bulkEnqueue iteration keeps every job it stored (about 240 B each) until it ends.
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class StoreThroughputBenchmark {

    static final int ENQUEUE_BATCH = 1_000;
    static final int END_TO_END_BATCH = 10_000;
    static final int CONCURRENCY = 8;
    static final int CLAIM_AHEAD = 256;
    private static final String TYPE = "noop";
    /** Far above any healthy batch time: reaching it means jobs were lost, and the run fails loudly. */
    private static final Duration STUCK_AFTER = Duration.ofSeconds(120);

    @Benchmark
    @OperationsPerInvocation(ENQUEUE_BATCH)
    public void bulkEnqueue(Producer producer, JobCount jobs) {
        producer.sluice.submitAll(producer.requests);
        jobs.jobs += ENQUEUE_BATCH;
    }

    @Benchmark
    @OperationsPerInvocation(END_TO_END_BATCH)
    public void endToEnd(Worker worker, JobCount jobs) {
        worker.sluice.submitAll(worker.requests);
        worker.expected += END_TO_END_BATCH;
        worker.succeeded.awaitAtLeast(worker.expected, STUCK_AFTER);
        jobs.jobs += END_TO_END_BATCH;
    }

    /** The store under test: one {@link BenchStore} per trial, its namespace removed at the trial's end. */
    @State(Scope.Benchmark)
    public static class StoreUnderTest {

        @Param({"memory", "postgres", "redis"})
        public String store;

        BenchStore backend;

        @Setup(Level.Trial)
        public void open() {
            backend = BenchStore.named(store);
        }

        @TearDown(Level.Trial)
        public void close() {
            backend.close();
        }
    }

    /** A producer-only engine: stores jobs, runs none. Its store is emptied after every iteration. */
    @State(Scope.Benchmark)
    public static class Producer {

        Sluice sluice;
        JobStore store;
        List<JobRequest> requests;

        @Setup(Level.Iteration)
        public void start(StoreUnderTest target) {
            if (store == null) {
                store = target.backend.newStore();
                sluice = Sluice.builder().store(store).producerOnly(true).build().start();
            }
            requests = Collections.nCopies(ENQUEUE_BATCH, JobRequest.of(TYPE, null));
        }

        @TearDown(Level.Iteration)
        public void empty(StoreUnderTest target) {
            if (!target.backend.empty()) {
                close();
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            if (sluice != null) {
                sluice.close();
                store.close();
                sluice = null;
                store = null;
            }
        }
    }

    /** A started engine with a no-op handler, built once per trial. */
    @State(Scope.Benchmark)
    public static class Worker {

        Sluice sluice;
        JobStore store;
        SucceededCounter succeeded;
        List<JobRequest> requests;
        long expected;

        @Setup(Level.Trial)
        public void start(StoreUnderTest target) {
            succeeded = new SucceededCounter();
            store = target.backend.newStore();
            sluice = Sluice.builder().store(store)
                    .handler(TYPE, Void.class, (payload, context) -> null)
                    .concurrency(CONCURRENCY)
                    .claimAhead(CLAIM_AHEAD)
                    .listener(succeeded)
                    .build()
                    .start();
            requests = Collections.nCopies(END_TO_END_BATCH, JobRequest.of(TYPE, null));
            expected = 0;
        }

        @TearDown(Level.Trial)
        public void close() {
            sluice.close();
            store.close();
            succeeded.requireExactly(expected);
        }
    }

    /** Jobs actually stored or run, reported per second next to the primary score. */
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
