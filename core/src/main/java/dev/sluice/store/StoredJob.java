package dev.sluice.store;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;

import java.time.Instant;

/**
 * Everything a store keeps about one job, as returned by queries. Times are null when not reached.
 *
 * @param id              the job
 * @param type            its type
 * @param queue           its queue
 * @param priority        its priority
 * @param state           its state
 * @param payload         encoded payload
 * @param tenant          tenant or null
 * @param uniqueKey       unique key or null
 * @param attempts        attempts started
 * @param maxAttempts     attempts in all
 * @param timeoutMillis   attempt time limit, 0 for none
 * @param createdAt       submission time
 * @param runAt           when a SCHEDULED job becomes due, else null
 * @param startedAt       when the latest attempt started
 * @param finishedAt      when it reached a terminal state
 * @param lastError       the latest error
 * @param result          encoded result of a SUCCEEDED job
 * @param progress        0..1
 * @param checkpoint      the latest checkpoint bytes or null
 * @param leaseOwner      node holding the lease while RUNNING
 * @param leaseExpiresAt  lease end while RUNNING
 * @param fencingToken    token of the latest claim, 0 if never claimed
 * @param cancelRequested true when a cancel was asked while RUNNING
 */
public record StoredJob(JobId id, String type, String queue, Priority priority, JobState state, byte[] payload,
                        String tenant, String uniqueKey, int attempts, int maxAttempts, long timeoutMillis,
                        Instant createdAt, Instant runAt, Instant startedAt, Instant finishedAt, String lastError,
                        byte[] result, double progress, byte[] checkpoint, String leaseOwner,
                        Instant leaseExpiresAt, long fencingToken, boolean cancelRequested) {
}
