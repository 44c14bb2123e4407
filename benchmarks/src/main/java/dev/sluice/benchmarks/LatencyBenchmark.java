package dev.sluice.benchmarks;

import dev.sluice.JobRequest;
import dev.sluice.Sluice;
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

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Submit-to-start latency of one job while the engine is about half busy, against a {@link ThreadPoolExecutor}
 * of the same size under the same load, in the same run.
 *
 * <p>One operation submits one probe job (null payload) and waits, spinning briefly and then parked, until the
 * probe's handler has started; JMH's SampleTime mode times every operation and reports p50, p90, p99... The time
 * includes the submit call and the wake-up of the waiting benchmark thread. Each trial also prints the
 * handler-side view (submit call to handler start, no wake-up of the waiter) as "body-side" percentiles.
 *
 * <p>The load: {@link FillerLoad} keeps {@code round(load x concurrency)} (at least one) filler jobs in flight,
 * each working {@code fillerMicros} (parked like a job waiting on I/O, or spinning on the CPU when
 * {@code fillerSpins}), and submits the next filler the moment one ends. With the defaults (concurrency 2,
 * load 0.5, 1 ms fillers) one of the two workers runs fillers back to back, so about 1,000 filler jobs a second
 * go through submit, claim and completion next to the probes. The measured share of worker time spent in
 * fillers is printed at the end of each trial. Spinning fillers keep one of two cores busy as well; on a
 * two-core machine the OS scheduler then delays wake-ups by up to a time slice (about 1 ms) for the executor
 * too, so that variant measures the machine as much as the engine: it is a parameter, not the default.
 *
 * <p>The engine is set for latency: {@code claimAhead(0)}, so a probe never waits in a worker's buffer behind
 * claimed fillers, and the default {@code completionMaxDelay}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class LatencyBenchmark {

    private static final String PROBE = "probe";
    private static final String FILLER = "filler";

    /** Engine workers, and the executor's threads. */
    @Param("2")
    public int concurrency;

    /** Share of the workers kept busy by fillers: round(load x concurrency) fillers in flight, at least one. */
    @Param("0.5")
    public double load;

    /** Work of one filler job, in microseconds. */
    @Param("1000")
    public int fillerMicros;

    /** False: fillers park (I/O-bound jobs); true: they spin on the CPU (CPU-bound jobs). */
    @Param("false")
    public boolean fillerSpins;

    @Benchmark
    public void sluice(SluiceEngine engine) {
        engine.probe.probe(engine.submitProbe);
    }

    @Benchmark
    public void threadPoolExecutor(Pool pool) {
        pool.probe.probe(pool.submitProbe);
    }

    FillerLoad newLoad() {
        return new FillerLoad(Math.max(1, (int) Math.round(load * concurrency)), fillerMicros, fillerSpins);
    }

    static boolean isMeasurement(IterationParams params) {
        return params.getType() == IterationType.MEASUREMENT;
    }

    /**
     * What both subjects share: the probe that times starts, the filler load, and the per-iteration hooks
     * (JMH runs the {@code @Setup}/{@code @TearDown} methods a state class inherits).
     */
    abstract static class ProbedSubject {

        StartProbe probe;
        FillerLoad load;
        Runnable submitProbe;
        private int workers;

        void prepare(LatencyBenchmark shape) {
            probe = new StartProbe();
            load = shape.newLoad();
            workers = shape.concurrency;
        }

        @Setup(Level.Iteration)
        public void beginIteration() {
            probe.beginIteration();
            load.beginIteration();
        }

        @TearDown(Level.Iteration)
        public void endIteration(IterationParams params) {
            probe.endIteration(isMeasurement(params));
            load.endIteration(isMeasurement(params));
        }

        void printTrialSummary(String name) {
            System.out.printf("%n%s: body-side submit-to-start over the measurement iterations: %s%n", name,
                    probe.summary());
            System.out.printf("%s: %d filler(s) in flight kept %.0f%% of %d workers busy%n", name, load.inFlight(),
                    100 * load.busyShare(workers), workers);
        }
    }

    /** A started engine serving probes and fillers on its own in-memory store, built once per trial. */
    @State(Scope.Benchmark)
    public static class SluiceEngine extends ProbedSubject {

        Sluice sluice;

        @Setup(Level.Trial)
        public void start(LatencyBenchmark shape) {
            prepare(shape);
            sluice = Sluice.builder()
                    .handler(PROBE, Void.class, (payload, context) -> {
                        probe.started();
                        return null;
                    })
                    .handler(FILLER, Void.class, (payload, context) -> {
                        load.work();
                        return null;
                    })
                    .concurrency(shape.concurrency)
                    .claimAhead(0)
                    .build()
                    .start();
            JobRequest probeRequest = JobRequest.of(PROBE, null);
            JobRequest fillerRequest = JobRequest.of(FILLER, null);
            submitProbe = () -> sluice.submit(probeRequest);
            load.start("sluice-filler-load", () -> sluice.submit(fillerRequest));
        }

        @TearDown(Level.Trial)
        public void close() throws InterruptedException {
            load.stop();
            sluice.close();
            printTrialSummary("sluice");
        }
    }

    /** The alternative: a fixed pool of {@code concurrency} threads on an unbounded LinkedBlockingQueue. */
    @State(Scope.Benchmark)
    public static class Pool extends ProbedSubject {

        ThreadPoolExecutor executor;

        @Setup(Level.Trial)
        public void start(LatencyBenchmark shape) {
            prepare(shape);
            executor = new ThreadPoolExecutor(shape.concurrency, shape.concurrency, 0, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>());
            executor.prestartAllCoreThreads();
            Runnable probeTask = probe::started;
            Runnable fillerTask = load::work;
            submitProbe = () -> executor.execute(probeTask);
            load.start("pool-filler-load", () -> executor.execute(fillerTask));
        }

        @TearDown(Level.Trial)
        public void close() throws InterruptedException {
            load.stop();
            executor.shutdown();
            executor.awaitTermination(10, TimeUnit.SECONDS);
            printTrialSummary("threadPoolExecutor");
        }
    }
}
