package dev.sluice.observe;

import java.util.Objects;

/**
 * The result of one health check. Immutable.
 *
 * @param name      the check, for example {@code queue-depth}; stable
 * @param healthy   whether the value is within its threshold
 * @param value     what was measured (jobs, seconds, a ratio 0..1 ...)
 * @param threshold the configured limit it was compared with
 * @param weight    points taken from the score when it fails
 * @param detail    what was measured, in plain words
 */
public record HealthCheck(String name, boolean healthy, double value, double threshold, int weight, String detail) {
    public HealthCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detail, "detail");
    }
}
