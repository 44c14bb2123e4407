package dev.sluice.observe;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A condition one alert rule found, told to {@link AlertListener}s twice: once when it starts
 * ({@link #active()} true) and once when it clears (false, with {@link #clearedAt()} set). Immutable.
 *
 * @param rule           the rule's name, for example {@code queue-depth}; stable, fit for routing
 * @param subject        what it is about: a queue name, a job type, or {@code "node"}
 * @param severity       how urgent it is
 * @param message        what was seen and what to do, in plain words with the numbers
 * @param values         the numbers that triggered it (name to value), in the rule's order
 * @param startedAt      when it was first seen
 * @param clearedAt      when it cleared, or null while it is active
 */
public record Alert(String rule, String subject, AlertSeverity severity, String message, Map<String, Double> values,
                    Instant startedAt, Instant clearedAt) {

    public Alert {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(startedAt, "startedAt");
        values = Map.copyOf(values);
    }

    /** True from start to clear. */
    public boolean active() {
        return clearedAt == null;
    }

    /** The same alert, cleared at the given time. */
    public Alert clear(Instant at) {
        return new Alert(rule, subject, severity, message, values, startedAt, at);
    }
}
