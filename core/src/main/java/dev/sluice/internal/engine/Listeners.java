package dev.sluice.internal.engine;

import dev.sluice.JobEvent;
import dev.sluice.JobId;
import dev.sluice.JobListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Fans events out to listeners; a listener that throws is logged and counted, never passed on. */
final class Listeners {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final List<JobListener> listeners;
    private final Clock clock;
    private final EngineMetrics metrics;

    Listeners(List<JobListener> initial, Clock clock, EngineMetrics metrics) {
        this.listeners = new CopyOnWriteArrayList<>(initial);
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Cheap test so that callers build events only when someone listens. */
    boolean isEmpty() {
        return listeners.isEmpty();
    }

    void fire(JobEvent.Kind kind, JobId id, String type, String queue, int attempt, String error) {
        if (listeners.isEmpty()) {
            return;
        }
        JobEvent event = new JobEvent(kind, id, type, queue, attempt, error, Instant.ofEpochMilli(clock.millis()));
        for (JobListener listener : listeners) {
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
