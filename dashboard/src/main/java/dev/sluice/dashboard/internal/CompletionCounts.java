package dev.sluice.dashboard.internal;

import dev.sluice.JobState;
import dev.sluice.store.StoreStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Running totals of ended attempts, whose differences between two samples make the throughput and failure
 * charts. Read from the sampler's thread only.
 */
public interface CompletionCounts {

    /** Where the totals come from, shown under the charts. */
    String source();

    /** Succeeded attempts so far. */
    double succeeded(StoreStats stats);

    /** Failed attempts (retried or dead) so far. */
    double failed(StoreStats stats);

    /** Exact counts of this node from the engine's {@code sluice.jobs.completed} counters. */
    static CompletionCounts meters(MeterRegistry registry) {
        return new CompletionCounts() {
            @Override
            public String source() {
                return "attempts ended on this node (sluice.jobs.completed)";
            }

            @Override
            public double succeeded(StoreStats stats) {
                return sum(registry, "succeeded");
            }

            @Override
            public double failed(StoreStats stats) {
                return sum(registry, "failed") + sum(registry, "dead");
            }
        };
    }

    /**
     * The store's counts of SUCCEEDED and DEAD jobs, whole cluster. Retries do not show, and a store that drops
     * finished jobs (retention, purge) makes the rate read low; the sampler never lets a drop count negative.
     */
    static CompletionCounts storeCounts() {
        return new CompletionCounts() {
            @Override
            public String source() {
                return "store counts of SUCCEEDED and DEAD jobs (estimate: retention and purges hide some)";
            }

            @Override
            public double succeeded(StoreStats stats) {
                return stats.total(JobState.SUCCEEDED);
            }

            @Override
            public double failed(StoreStats stats) {
                return stats.total(JobState.DEAD);
            }
        };
    }

    private static double sum(MeterRegistry registry, String outcome) {
        double total = 0;
        for (Counter counter : registry.find("sluice.jobs.completed").tag("outcome", outcome).counters()) {
            total += counter.count();
        }
        return total;
    }
}
