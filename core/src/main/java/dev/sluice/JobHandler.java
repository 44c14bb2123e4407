package dev.sluice;

/**
 * Runs one job type. Registered on {@link Sluice.Builder#handler} under a type name with its payload class;
 * the engine finds handlers by that name only, never by a class name read from the store.
 *
 * <p>A handler may be called from many worker threads at once and must be thread-safe. Delivery is
 * at-least-once: a job whose node crashed or lost its lease runs again, so handlers with side effects should
 * be idempotent (unique keys and cached results help).
 *
 * @param <P> the payload type, decoded by the engine's {@link PayloadCodec}
 */
@FunctionalInterface
public interface JobHandler<P> {

    /**
     * Runs one attempt.
     *
     * @param payload the decoded payload (null when the job was submitted with none)
     * @param context the attempt's context: ids, deadline, progress, cancellation
     * @return the job's result, encoded by the codec and kept on {@link JobInfo}; null for none
     * @throws Exception any failure: the attempt fails and is retried by the type's {@link RetryPolicy}
     *                   unless the error is non-retryable
     */
    Object handle(P payload, JobContext context) throws Exception;
}
