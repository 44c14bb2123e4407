package dev.sluice.store;

import dev.sluice.JobId;

import java.util.Objects;

/**
 * The end of one attempt, as the engine asks the store to record it. Made by the static factories.
 *
 * @param id            the job
 * @param fencingToken  the token of the lease the attempt ran under; a mismatch makes the write STALE
 * @param outcome       what to record
 * @param result        encoded result for SUCCEEDED, else null
 * @param error         error text for RETRY, DEAD and CANCELLED, else null
 * @param runAtMillis   for RETRY and RELEASED: when the job becomes ready again (epoch millis, by the store's
 *                      clock; a time in the past, such as 0, means at once)
 */
public record Completion(JobId id, long fencingToken, Outcome outcome, byte[] result, String error,
                         long runAtMillis) {

    /** What a completion records. */
    public enum Outcome {
        /** The attempt succeeded: SUCCEEDED, result kept. */
        SUCCEEDED,
        /** The attempt failed and will be retried: SCHEDULED at runAt (READY when due), the attempt counted. */
        RETRY,
        /** The attempt failed for good: DEAD. */
        DEAD,
        /** The job was cancelled while running: CANCELLED. */
        CANCELLED,
        /**
         * Handed back without running (shutdown, deferral): READY/SCHEDULED at runAt, the attempt not counted;
         * a job released to run at once keeps its place in line (its original ready time and sort key).
         */
        RELEASED
    }

    public Completion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(outcome, "outcome");
    }

    public static Completion succeeded(JobId id, long token, byte[] result) {
        return new Completion(id, token, Outcome.SUCCEEDED, result, null, 0);
    }

    public static Completion retry(JobId id, long token, String error, long runAtMillis) {
        return new Completion(id, token, Outcome.RETRY, null, error, runAtMillis);
    }

    public static Completion dead(JobId id, long token, String error) {
        return new Completion(id, token, Outcome.DEAD, null, error, 0);
    }

    public static Completion cancelled(JobId id, long token, String reason) {
        return new Completion(id, token, Outcome.CANCELLED, null, reason, 0);
    }

    public static Completion released(JobId id, long token, long runAtMillis) {
        return new Completion(id, token, Outcome.RELEASED, null, null, runAtMillis);
    }

    /**
     * Hands a job back to be ready again at once, keeping its place in line. Its run-at is 0, in the past by any
     * clock: "at once" is judged by the store's clock, never by the node's, which may run ahead of it.
     */
    public static Completion releasedNow(JobId id, long token) {
        return released(id, token, 0);
    }
}
