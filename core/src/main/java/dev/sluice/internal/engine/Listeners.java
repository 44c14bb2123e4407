package dev.sluice.internal.engine;

import dev.sluice.JobEvent;
import dev.sluice.JobId;
import dev.sluice.JobListener;
import dev.sluice.JobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Fans events out to listeners, per kind, so that a kind nobody wants costs one array read, and state changes
 * to the transition sink (the audit trail) when there is one. A listener that throws is logged and counted,
 * never passed on.
 */
final class Listeners {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);
    private static final JobListener[] NONE = new JobListener[0];

    private final JobListener[][] byKind = new JobListener[JobEvent.Kind.values().length][];
    private final boolean empty;
    private final Clock clock;
    private final EngineMetrics metrics;
    private final TransitionSink transitions;

    Listeners(List<JobListener> listeners, Clock clock, EngineMetrics metrics, TransitionSink transitions) {
        this.clock = clock;
        this.metrics = metrics;
        this.transitions = transitions;
        Map<JobEvent.Kind, List<JobListener>> wanted = new EnumMap<>(JobEvent.Kind.class);
        for (JobListener listener : listeners) {
            for (JobEvent.Kind kind : listener.kinds()) {
                wanted.computeIfAbsent(kind, k -> new ArrayList<>()).add(listener);
            }
        }
        for (JobEvent.Kind kind : JobEvent.Kind.values()) {
            byKind[kind.ordinal()] = wanted.getOrDefault(kind, List.of()).toArray(NONE);
        }
        this.empty = wanted.isEmpty();
    }

    /** Cheap test so that callers skip work when nobody listens to a kind. */
    boolean wants(JobEvent.Kind kind) {
        return byKind[kind.ordinal()].length > 0;
    }

    boolean isEmpty() {
        return empty;
    }

    /** True when state changes are recorded: callers skip building them otherwise. */
    boolean recordsTransitions() {
        return transitions != null;
    }

    /** Passes a state change the store accepted just now to the sink, if any. */
    void transition(JobId id, JobState from, JobState to, int attempt, String error) {
        if (transitions != null) {
            transitions.transition(clock.millis(), -1, id, from, to, attempt, error);
        }
    }

    /**
     * Reserves the places of {@code count} changes that a store call is about to make, before the call: the
     * changes it enables (a claim of a submitted job) are then ordered after them. Settle it after the call, in a
     * finally block. See {@link TransitionSink}.
     */
    long reserve(int count) {
        return transitions == null ? -1 : transitions.reserve(count);
    }

    /** Ends a reservation once its store call returned or threw. */
    void settle(long reserved) {
        if (transitions != null) {
            transitions.settle(reserved);
        }
    }

    /** The engine's clock, for callers that time a change before making it. */
    long now() {
        return clock.millis();
    }

    /** Passes a change whose time and place were taken before its store call. */
    void transition(long atMillis, long reserved, JobId id, JobState from, JobState to, int attempt,
                    String error) {
        if (transitions != null) {
            transitions.transition(atMillis, reserved, id, from, to, attempt, error);
        }
    }

    void fire(JobEvent.Kind kind, JobId id, String type, String queue, int attempt, String error) {
        JobListener[] targets = byKind[kind.ordinal()];
        if (targets.length == 0) {
            return;
        }
        JobEvent event = new JobEvent(kind, id, type, queue, attempt, error, Instant.ofEpochMilli(clock.millis()));
        for (JobListener listener : targets) {
            try {
                listener.onEvent(event);
            } catch (Throwable e) {
                // Errors too (an AssertionError in a test's listener): passed on, one would kill the engine
                // thread that fired it (completions, lease renewals) or fail a submit whose jobs were stored.
                metrics.listenerErrors.increment();
                log.warn("listener {} threw on {} of job {}", listener, kind, id, e);
            }
        }
    }
}
