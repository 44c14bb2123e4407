package dev.sluice.internal.engine;

import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobState;
import dev.sluice.PayloadCodec;
import dev.sluice.SluiceTimeoutException;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.JobStore;
import dev.sluice.store.StoredJob;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code await}: threads waiting for jobs to finish. They are woken by this node's completions and poll the
 * store for jobs that finish on other nodes; no entry outlives its waiters.
 */
final class Awaiters {

    private static final long POLL_MILLIS = 200;

    private final Map<JobId, CompletableFuture<JobInfo>> waiting = new ConcurrentHashMap<>();
    private final JobStore store;
    private final Clock clock;
    private final PayloadCodec codec;

    Awaiters(JobStore store, Clock clock, PayloadCodec codec) {
        this.store = store;
        this.clock = clock;
        this.codec = codec;
    }

    JobInfo await(JobId id, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(id, "id");
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative but was " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<JobInfo> signal = waiting.computeIfAbsent(id, k -> new CompletableFuture<>());
        try {
            while (true) {
                Optional<StoredJob> found = store.find(id);
                if (found.isEmpty()) {
                    JobInfo written = signal.getNow(null);
                    if (written != null) {
                        return written; // finished here and already dropped by the store's retention
                    }
                    throw new IllegalArgumentException("no job with id " + id
                            + " (unknown, or finished and already removed by the store's retention)");
                }
                StoredJob job = found.get();
                if (job.state().isTerminal()) {
                    return toInfo(job);
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new SluiceTimeoutException("job " + id + " of type '" + job.type()
                            + "' did not finish within " + timeout + "; it is " + job.state());
                }
                try {
                    signal.get(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)), TimeUnit.NANOSECONDS);
                } catch (TimeoutException | ExecutionException ignored) {
                    // poll again
                }
            }
        } finally {
            // A job that finished on another node, or a timeout, leaves no entry behind. Other threads
            // awaiting the same job keep polling the store.
            waiting.remove(id, signal);
        }
    }

    /** The job ended without a completion of this node (a cancel while waiting): waiters re-read the store. */
    void finished(JobId id) {
        if (!waiting.isEmpty()) {
            CompletableFuture<JobInfo> signal = waiting.remove(id);
            if (signal != null) {
                signal.complete(null);
            }
        }
    }

    /**
     * A completion this node wrote: wakes its waiters with the job's end as written, which they return only
     * if the store has already dropped the job (retention).
     */
    void finished(ClaimedJob job, Completion done) {
        if (!waiting.isEmpty()) {
            CompletableFuture<JobInfo> signal = waiting.get(job.id());
            if (signal != null) {
                JobState state = done.outcome() == Completion.Outcome.SUCCEEDED ? JobState.SUCCEEDED
                        : done.outcome() == Completion.Outcome.DEAD ? JobState.DEAD : JobState.CANCELLED;
                Instant now = Instant.ofEpochMilli(clock.millis());
                signal.complete(new JobInfo(job.id(), job.type(), job.queue(), job.priority(), state,
                        job.attempt(), job.maxAttempts(), Instant.ofEpochMilli(job.createdAtMillis()), null, null,
                        now, done.error(), done.result(), state == JobState.SUCCEEDED ? 1.0 : 0.0,
                        job.tenant(), null, codec));
            }
        }
    }

    JobInfo toInfo(StoredJob j) {
        return new JobInfo(j.id(), j.type(), j.queue(), j.priority(), j.state(), j.attempts(), j.maxAttempts(),
                j.createdAt(), j.runAt(), j.startedAt(), j.finishedAt(), j.lastError(), j.result(), j.progress(),
                j.tenant(), j.uniqueKey(), codec);
    }
}
