package dev.sluice;

import java.time.Instant;
import java.util.Optional;

/**
 * A read-only snapshot of a stored job. Immutable; taken at one moment, so it does not change when the job
 * moves on: ask again for a newer view.
 */
public final class JobInfo {

    private final JobId id;
    private final String type;
    private final String queue;
    private final Priority priority;
    private final JobState state;
    private final int attempts;
    private final int maxAttempts;
    private final Instant createdAt;
    private final Instant runAt;
    private final Instant startedAt;
    private final Instant finishedAt;
    private final String lastError;
    private final byte[] result;
    private final double progress;
    private final String tenant;
    private final String uniqueKey;
    private final PayloadCodec codec;

    /** For the engine and stores; users receive instances from {@link Sluice}. */
    public JobInfo(JobId id, String type, String queue, Priority priority, JobState state, int attempts,
                   int maxAttempts, Instant createdAt, Instant runAt, Instant startedAt, Instant finishedAt,
                   String lastError, byte[] result, double progress, String tenant, String uniqueKey,
                   PayloadCodec codec) {
        this.id = id;
        this.type = type;
        this.queue = queue;
        this.priority = priority;
        this.state = state;
        this.attempts = attempts;
        this.maxAttempts = maxAttempts;
        this.createdAt = createdAt;
        this.runAt = runAt;
        this.startedAt = startedAt;
        this.finishedAt = finishedAt;
        this.lastError = lastError;
        this.result = result;
        this.progress = progress;
        this.tenant = tenant;
        this.uniqueKey = uniqueKey;
        this.codec = codec;
    }

    public JobId id() {
        return id;
    }

    public String type() {
        return type;
    }

    public String queue() {
        return queue;
    }

    public Priority priority() {
        return priority;
    }

    public JobState state() {
        return state;
    }

    /** Attempts started so far. */
    public int attempts() {
        return attempts;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** When the job is due to run (its delay or retry time), or null once it ran. */
    public Optional<Instant> runAt() {
        return Optional.ofNullable(runAt);
    }

    /** When the latest attempt started. */
    public Optional<Instant> startedAt() {
        return Optional.ofNullable(startedAt);
    }

    /** When the job reached a terminal state. */
    public Optional<Instant> finishedAt() {
        return Optional.ofNullable(finishedAt);
    }

    /** The latest attempt's error (class and message), if any. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** The latest reported progress, 0..1. */
    public double progress() {
        return progress;
    }

    public Optional<String> tenant() {
        return Optional.ofNullable(tenant);
    }

    public Optional<String> uniqueKey() {
        return Optional.ofNullable(uniqueKey);
    }

    /** The encoded result, or null when the handler returned none (or the job did not succeed). */
    public byte[] resultBytes() {
        return result == null ? null : result.clone();
    }

    /**
     * The handler's result decoded as {@code type}.
     *
     * @return empty when there is no result
     */
    public <T> Optional<T> result(Class<T> resultType) {
        if (result == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(codec.decode(result, resultType));
    }

    @Override
    public String toString() {
        return "JobInfo{id=" + id + ", type='" + type + "', queue='" + queue + "', state=" + state
                + ", attempts=" + attempts + "/" + maxAttempts
                + (lastError != null ? ", lastError='" + lastError + "'" : "") + '}';
    }
}
