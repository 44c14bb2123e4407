package dev.sluice.observe;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The health of this node and its store at one moment. Immutable.
 *
 * <p><b>Score.</b> 100 minus the {@link HealthCheck#weight() weight} of every failed check, never below 0.
 * Weights: store reachable 100, error rate 25, queue depth 15, oldest-ready age 15, heap 15, average
 * processing time 10, stuck jobs 10, job types no node runs 10, open circuit breakers 10. <b>Status.</b> DOWN when the store is
 * unreachable or the score is below 40; DEGRADED when any check failed; otherwise UP.
 *
 * @param status  the verdict
 * @param score   0..100
 * @param checks  every check, in a fixed order
 * @param takenAt when it was computed
 */
public record HealthReport(HealthStatus status, int score, List<HealthCheck> checks, Instant takenAt) {

    public HealthReport {
        checks = List.copyOf(checks);
    }

    /** The check of that name. */
    public Optional<HealthCheck> check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The checks that failed. */
    public List<HealthCheck> failed() {
        return checks.stream().filter(c -> !c.healthy()).toList();
    }
}
