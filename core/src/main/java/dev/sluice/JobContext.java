package dev.sluice;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a running handler knows of its attempt and how it talks back. One instance per attempt; its methods
 * are thread-safe. While a handler runs, the SLF4J MDC holds {@code sluice.jobId}, {@code sluice.jobType} and
 * {@code sluice.attempt}.
 *
 * <p><b>Stopping.</b> When the job is cancelled, its lease is lost (another node may run it now) or its
 * timeout passes, the engine sets the matching flag and interrupts the handler's thread. A handler doing long
 * work without blocking calls should check {@link #shouldStop()} or {@link #throwIfStopped()} between steps.
 */
public interface JobContext {

    JobId jobId();

    String jobType();

    String queue();

    /** The tenant, if the job has one. */
    Optional<String> tenant();

    /** This attempt's number, 1 for the first. */
    int attempt();

    int maxAttempts();

    /** When this attempt times out, if it has a timeout. */
    Optional<Instant> deadline();

    /**
     * Reports progress as {@code done} of {@code total} units; shown on {@link JobInfo#progress()}. Updates are
     * coalesced and written with lease renewals, so calling this often is cheap.
     *
     * @throws IllegalArgumentException when done or total is negative or done &gt; total
     */
    void reportProgress(long done, long total);

    /**
     * The job's last checkpoint, as stored by {@link #saveCheckpoint} in this or an earlier attempt, on this or
     * another node; empty when none was saved. Read from the store on the first call of an attempt (one store
     * call), then kept: later calls return the latest checkpoint this attempt saved. Do not modify the array.
     */
    Optional<byte[]> checkpoint();

    /**
     * Stores {@code checkpoint} (opaque bytes for resuming, such as a cursor and counts) at once, in one store
     * call fenced by this attempt's lease, with the latest reported progress. When this returns, the checkpoint
     * is durable: an attempt that starts after a crash, on any node, sees it through {@link #checkpoint()}. The
     * store keeps it when the job is cancelled or retried. The array must not be modified afterwards.
     *
     * @throws NullPointerException  when checkpoint is null
     * @throws JobCancelledException when the store refused the write because this node lost the job's lease
     * @throws RuntimeException      what the store throws when it cannot write; the checkpoint may be lost
     */
    void saveCheckpoint(byte[] checkpoint);

    /** True once the job was cancelled. */
    boolean isCancelled();

    /** True once this node lost the job's lease: its completion will be refused. */
    boolean isLeaseLost();

    /** True once the attempt passed its deadline. */
    boolean isTimedOut();

    /** True when the handler should stop: cancelled, lease lost or timed out. */
    default boolean shouldStop() {
        return isCancelled() || isLeaseLost() || isTimedOut();
    }

    /** @throws JobCancelledException when {@link #shouldStop()} is true, saying why */
    void throwIfStopped();

    /**
     * Ends this attempt SUCCEEDED inside a transaction the handler owns (a {@code java.sql.Connection} with
     * auto-commit off, on the JDBC store), so that the handler's own writes in that transaction and the job's
     * completion commit or roll back together. Call it last, then commit; the engine writes no completion of its
     * own for an attempt that returns after this call. If the transaction rolls back and the handler throws, the
     * attempt fails as usual; if it rolls back and the handler returns, the job stays RUNNING until its lease
     * expires and then runs again.
     *
     * @param transaction the caller's open transaction, of the store's transaction type
     * @param result      the result to keep on the job (encoded by the engine's codec), or null
     * @throws IllegalStateException when the store cannot complete jobs inside a caller's transaction
     * @throws dev.sluice.SluiceException when this attempt no longer holds the job's lease (roll back: another
     *                                    attempt owns the job now)
     */
    default void succeedIn(Object transaction, Object result) {
        throw new IllegalStateException("this context cannot complete its job inside a caller's transaction");
    }

    /**
     * The jobs this job waited for (a {@code dev.sluice.graph.JobGraph}), in the order its edges were declared: the
     * id, type, state, error, times and result of each. A parent that ended DEAD or CANCELLED on an IGNORE edge is
     * left out. Read from the store on the first call of an attempt (two store calls; none when the handler never
     * asks), then kept. Empty for a job without parents. A parent the store no longer holds (a finished job that
     * its retention dropped) is left out, with a warning in the log.
     */
    default List<JobInfo> parents() {
        return List.of();
    }

    /**
     * The result of the parent job {@code parent}, decoded by the engine's codec; empty when it returned none or
     * did not succeed (a failed parent on a RUN_DEPENDENTS edge).
     *
     * @throws IllegalArgumentException when {@code parent} is not among {@link #parents()}
     */
    default <T> Optional<T> parentResult(JobId parent, Class<T> resultType) {
        for (JobInfo info : parents()) {
            if (info.id().equals(parent)) {
                return info.result(resultType);
            }
        }
        throw new IllegalArgumentException("job " + parent + " is not a parent of job " + jobId()
                + " (or failed on an IGNORE edge)");
    }

    /**
     * The result of this job's only parent of job type {@code parentType}, decoded by the engine's codec; empty
     * when it returned none or did not succeed. Parents are known to the store by id and type, not by their keys
     * in the graph: with several parents of one type, go through {@link #parents()}.
     *
     * @throws IllegalArgumentException when no parent, or more than one, is of that type
     */
    default <T> Optional<T> parentResult(String parentType, Class<T> resultType) {
        List<JobId> matching = new ArrayList<>(1);
        JobInfo found = null;
        for (JobInfo info : parents()) {
            if (info.type().equals(parentType)) {
                found = info;
                matching.add(info.id());
            }
        }
        if (matching.size() != 1) {
            throw new IllegalArgumentException("job " + jobId() + " has " + matching.size() + " parents of type '"
                    + parentType + "'" + (matching.isEmpty() ? "" : " " + matching)
                    + "; name one by id, or read parents()");
        }
        return found.result(resultType);
    }

    /**
     * The circuit breaker of that name configured with {@code Sluice.Builder.namedBreaker}, shared by every job
     * on this node, for the handler to wrap its own calls to a downstream service in
     * ({@code context.breaker("pricing-api").executeCallable(() -> prices.fetch(id))}). A call it refuses throws
     * resilience4j's {@code CallNotPermittedException}, which fails the attempt like any other error.
     *
     * @throws IllegalArgumentException when no breaker of that name is configured
     */
    default CircuitBreaker breaker(String name) {
        throw new IllegalArgumentException("no circuit breaker named '" + name + "' is configured");
    }

    /**
     * The resilience4j retry of that name configured with {@code Sluice.Builder.namedRetry}, for retrying one
     * call inside an attempt (which exceptions it retries or ignores is the retry's config). Its waits block
     * the worker: keep them short and leave long backoffs to the job's own retry policy.
     *
     * @throws IllegalArgumentException when no retry of that name is configured
     */
    default Retry retry(String name) {
        throw new IllegalArgumentException("no retry named '" + name + "' is configured");
    }
}
