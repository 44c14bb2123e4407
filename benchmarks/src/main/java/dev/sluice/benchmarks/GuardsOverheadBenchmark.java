package dev.sluice.benchmarks;

import dev.sluice.JobRequest;
import dev.sluice.Sluice;
import dev.sluice.resilience.BreakerConfig;
import dev.sluice.resilience.RateLimit;
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
 * What circuit breakers and rate limits cost when they are on but never trip: submit-to-completion throughput of
 * no-op jobs on the in-memory store (the worst case: the handler costs nothing, so the guards' share is largest),
 * as {@link EngineThroughputBenchmark#sluice} measures it, with {@code guards} =
 * <ul>
 *   <li>{@code off}: no breaker, no limit (the baseline);</li>
 *   <li>{@code breaker}: a resilience4j breaker on the job type (count window 100, 50% failure threshold);</li>
 *   <li>{@code limiter}: a per-node job-type rate limit far above the rate reached (100,000,000 per second);</li>
 *   <li>{@code both}: the breaker and the limit;</li>
 *   <li>{@code clusterLimiter}: the same limit across the cluster, counted by the store (permits taken 50 at a
 *       time).</li>
 * </ul>
 * The primary score is jobs per second (one operation = one {@code submitAll} of 10,000 jobs).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@OperationsPerInvocation(GuardsOverheadBenchmark.JOBS)
@State(Scope.Benchmark)
public class GuardsOverheadBenchmark {

    static final int JOBS = 10_000;
    private static final String TYPE = "noop";
    private static final Duration STUCK_AFTER = Duration.ofSeconds(60);

    @Param({"off", "breaker", "limiter", "both", "clusterLimiter"})
    public String guards;

    @Param("2")
    public int concurrency;

    private Sluice sluice;
    private SucceededCounter succeeded;
    private List<JobRequest> requests;
    private long expected;

    @Setup(Level.Trial)
    public void start() {
        succeeded = new SucceededCounter();
        Sluice.Builder builder = Sluice.builder()
                .handler(TYPE, Void.class, (payload, context) -> null)
                .concurrency(concurrency)
                .claimAhead(1024)
                .listener(succeeded);
        RateLimit limit = RateLimit.of(100_000_000, Duration.ofSeconds(1));
        switch (guards) {
            case "off":
                break;
            case "breaker":
                builder.jobTypeBreaker(TYPE, breaker());
                break;
            case "limiter":
                builder.jobTypeRateLimit(TYPE, limit);
                break;
            case "both":
                builder.jobTypeBreaker(TYPE, breaker()).jobTypeRateLimit(TYPE, limit);
                break;
            case "clusterLimiter":
                builder.jobTypeRateLimit(TYPE, limit.acrossCluster());
                break;
            default:
                throw new IllegalArgumentException("guards must be off, breaker, limiter, both or clusterLimiter"
                        + " but was '" + guards + "'");
        }
        sluice = builder.build().start();
        requests = Collections.nCopies(JOBS, JobRequest.of(TYPE, null));
        expected = 0;
    }

    private static BreakerConfig breaker() {
        return BreakerConfig.custom().countWindow(100).minimumCalls(100).failureRateThreshold(50).build();
    }

    @Benchmark
    public void jobs(EngineThroughputBenchmark.JobCount jobs) {
        sluice.submitAll(requests);
        expected += JOBS;
        succeeded.awaitAtLeast(expected, STUCK_AFTER);
        jobs.jobs += JOBS;
    }

    @TearDown(Level.Trial)
    public void close() {
        sluice.close();
        succeeded.requireExactly(expected);
    }
}
