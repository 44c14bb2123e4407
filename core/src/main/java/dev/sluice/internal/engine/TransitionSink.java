package dev.sluice.internal.engine;

import dev.sluice.JobId;
import dev.sluice.JobState;

/**
 * Hears every state change the engine makes in the store, with the states before and after (what a
 * {@code JobEvent} does not carry): the hook of the audit trail. Called on engine threads right after the store
 * accepted the change; must not block.
 *
 * <p>Changes of one job reach the sink from several threads and may arrive out of order: a submit reports the
 * creation after its store call returned, when the dispatcher may have claimed the job and reported the claim
 * already. So a store call that can make a job claimable (enqueue, fire, retry, cancel, completion, recovery)
 * {@link #reserve reserves} the places of its changes before the call and {@link #settle settles} the reservation
 * after it, whatever happened; the {@code sequence} then orders this node's changes of one job, and the sink
 * holds back changes placed after an open reservation.
 */
public interface TransitionSink {

    /** Reserves the places of up to {@code count} changes a store call is about to make; returns the first. */
    long reserve(int count);

    /** The store call of the reservation starting at {@code first} returned or threw. */
    void settle(long first);

    /**
     * @param atMillis when the change happened (epoch millis on the engine's clock)
     * @param sequence its reserved place, or -1 to place it now
     * @param from     the state before, or null when the job was created
     * @param attempt  the attempt the change belongs to (0 before the first)
     * @param error    the error or reason, or null
     */
    void transition(long atMillis, long sequence, JobId id, JobState from, JobState to, int attempt, String error);
}
