package dev.sluice;

import java.time.Instant;
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
}
