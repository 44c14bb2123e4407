package dev.sluice.internal.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.Supplier;

/**
 * The engine's own meters. Counters are created once here so that the hot path only increments them; no tag
 * takes an unbounded value (never a job id).
 */
final class EngineMetrics {

    final Counter submitted;
    final Counter succeeded;
    final Counter failed;
    final Counter dead;
    final Counter cancelled;
    final Counter released;
    final Counter staleCompletions;
    final Counter leasesRenewed;
    final Counter leasesLost;
    final Counter leasesRecovered;
    final Counter storeErrors;
    final Counter listenerErrors;

    EngineMetrics(MeterRegistry registry, Supplier<Number> inFlight) {
        submitted = Counter.builder("sluice.jobs.submitted").description("Jobs stored by submit").register(registry);
        succeeded = completed(registry, "succeeded");
        failed = completed(registry, "failed");
        dead = completed(registry, "dead");
        cancelled = completed(registry, "cancelled");
        released = completed(registry, "released");
        staleCompletions = Counter.builder("sluice.completions.stale")
                .description("Completions refused because the lease was lost").register(registry);
        leasesRenewed = Counter.builder("sluice.leases.renewed").register(registry);
        leasesLost = Counter.builder("sluice.leases.lost").register(registry);
        leasesRecovered = Counter.builder("sluice.leases.recovered")
                .description("Expired leases of other (crashed) nodes taken back").register(registry);
        storeErrors = Counter.builder("sluice.store.errors").description("Store calls that threw").register(registry);
        listenerErrors = Counter.builder("sluice.listener.errors").register(registry);
        registry.gauge("sluice.jobs.inflight", inFlight, s -> s.get().doubleValue());
    }

    private static Counter completed(MeterRegistry registry, String outcome) {
        return Counter.builder("sluice.jobs.completed").tag("outcome", outcome)
                .description("Attempts ended, by outcome").register(registry);
    }
}
