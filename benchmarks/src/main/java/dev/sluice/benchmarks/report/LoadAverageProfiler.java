package dev.sluice.benchmarks.report;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

/**
 * Adds the machine's 1-minute load average at the end of each iteration to every JMH result, as the secondary
 * metric {@code ·load1m} (mean over iterations), so that each published figure carries the load it was measured
 * under: {@code -prof dev.sluice.benchmarks.report.LoadAverageProfiler}.
 */
public final class LoadAverageProfiler implements InternalProfiler {

    static final String METRIC = "load1m";

    @Override
    public String getDescription() {
        return "1-minute load average of the machine after each iteration";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams, IterationResult result) {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return List.of(new ScalarResult(METRIC, load, "load", AggregationPolicy.AVG));
    }
}
