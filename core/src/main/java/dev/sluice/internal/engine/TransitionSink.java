package dev.sluice.internal.engine;

import dev.sluice.JobId;
import dev.sluice.JobState;

/**
 * Hears every state change the engine makes in the store, with the states before and after (what a
 * {@code JobEvent} does not carry): the hook of the audit trail. Called on engine threads right after the
 * store accepted the change; must not block.
 */
public interface TransitionSink {

    /**
     * @param atMillis when the change happened (epoch millis on the engine's clock)
     * @param from    the state before, or null when the job was created
     * @param attempt the attempt the change belongs to (0 before the first)
     * @param error   the error or reason, or null
     */
    void transition(long atMillis, JobId id, JobState from, JobState to, int attempt, String error);
}
