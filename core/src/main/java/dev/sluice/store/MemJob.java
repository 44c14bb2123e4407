package dev.sluice.store;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;

import java.time.Instant;

/**
 * The mutable record of one job inside {@link InMemoryJobStore}; guarded by the store's lock.
 *
 * <p>Kept small on purpose (the store promises at most ~300 bytes per queued job beyond the payload): times are
 * epoch millis in primitive fields, strings and arrays are the instances the caller passed in, and the links
 * {@link #prev}/{@link #next} serve whichever of the store's two chains the job is on (running jobs, or
 * finished jobs kept for queries), since a job is never on both. {@link #heapIndex} is the job's slot in the
 * one structure that holds it (a run or the heap of its lane's {@link ReadyQueue}, or its queue's scheduled
 * heap), or -1.
 */
final class MemJob {

    /** Marks a time that has not been reached. */
    static final long NONE = Long.MIN_VALUE;

    final JobId id;
    final String type;
    final byte[] payload;
    final String uniqueKey;
    final int maxAttempts;
    final long timeoutMillis;
    final long createdAtMillis;

    /** Queue and tenant; set when the job is stored. */
    TenantLane lane;
    Priority priority;
    JobState state;
    boolean cancelRequested;
    /** Holds its unique key only until its first claim (scope WHILE_WAITING). */
    boolean keyWhileWaiting;
    /** Where in its lane's {@link ReadyQueue} a READY job is (see there); fits in the object's padding. */
    byte readyRun = ReadyQueue.NOT_READY;
    int attempts;
    int heapIndex = -1;

    long runAtMillis;
    long readyAtMillis;
    /** {@code priority.sortKey(readyAtMillis, agingStep)}, kept so that heap comparisons touch one field. */
    long sortKey;
    long startedAtMillis = NONE;
    long finishedAtMillis = NONE;
    long leaseExpiresAtMillis;
    long fencingToken;
    double progress;

    String lastError;
    String leaseOwner;
    byte[] result;
    byte[] checkpoint;

    MemJob prev;
    MemJob next;
    /** Dependency edges; null for a job that is in no graph. */
    JobLinks links;

    MemJob(NewJob job) {
        this.id = job.id();
        this.type = job.type();
        this.payload = job.payload();
        this.uniqueKey = job.uniqueKey();
        this.maxAttempts = job.maxAttempts();
        this.timeoutMillis = job.timeoutMillis();
        this.createdAtMillis = job.createdAtMillis();
        this.priority = job.priority();
        this.runAtMillis = job.runAtMillis();
    }

    String queueName() {
        return lane.queue.name;
    }

    ClaimedJob toClaimed() {
        return new ClaimedJob(id, type, lane.queue.name, priority, lane.tenant, payload, attempts, maxAttempts,
                timeoutMillis, fencingToken, leaseExpiresAtMillis, createdAtMillis, readyAtMillis);
    }

    StoredJob toStored() {
        boolean running = state == JobState.RUNNING;
        return new StoredJob(id, type, lane.queue.name, priority, state, payload, lane.tenant, uniqueKey, attempts,
                maxAttempts, timeoutMillis, Instant.ofEpochMilli(createdAtMillis),
                state == JobState.SCHEDULED ? Instant.ofEpochMilli(runAtMillis) : null,
                instantOrNull(startedAtMillis), instantOrNull(finishedAtMillis), lastError, result, progress,
                checkpoint, running ? leaseOwner : null, running ? Instant.ofEpochMilli(leaseExpiresAtMillis) : null,
                fencingToken, cancelRequested);
    }

    private static Instant instantOrNull(long millis) {
        return millis == NONE ? null : Instant.ofEpochMilli(millis);
    }

    @Override
    public String toString() {
        return "MemJob{" + id + ", " + type + ", " + state + '}';
    }
}
