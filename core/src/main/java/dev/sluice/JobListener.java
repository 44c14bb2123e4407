package dev.sluice;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Receives {@link JobEvent}s. Called on engine threads right after the change is stored: keep it fast and
 * non-blocking. An exception it throws is logged and counted, never passed on.
 *
 * <p>Events come from several threads (the submitting thread, workers, the completion writer), so the events
 * of one job may arrive out of order: SUBMITTED is fired after the submit's store call returns, when a worker
 * may already have started the job. STARTED always comes before that attempt's end (SUCCEEDED, FAILED, DEAD,
 * CANCELLED).
 */
@FunctionalInterface
public interface JobListener {

    void onEvent(JobEvent event);

    /**
     * The kinds of event this listener wants; the engine builds no event of a kind that no listener wants.
     * Read once, when the engine is built. Default: all kinds.
     */
    default Set<JobEvent.Kind> kinds() {
        return EnumSet.allOf(JobEvent.Kind.class);
    }

    /** A listener for the given kinds only. */
    static JobListener of(Set<JobEvent.Kind> kinds, Consumer<JobEvent> onEvent) {
        Objects.requireNonNull(onEvent, "onEvent");
        Set<JobEvent.Kind> wanted = EnumSet.copyOf(kinds);
        return new JobListener() {
            @Override
            public void onEvent(JobEvent event) {
                onEvent.accept(event);
            }

            @Override
            public Set<JobEvent.Kind> kinds() {
                return wanted;
            }
        };
    }
}
