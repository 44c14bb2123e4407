package dev.sluice.store;

import dev.sluice.JobId;
import dev.sluice.Priority;

/**
 * A job handed to a node under a lease.
 *
 * @param id                  the job
 * @param type                its type
 * @param queue               its queue
 * @param priority            its priority
 * @param tenant              its tenant or null
 * @param payload             encoded payload
 * @param attempt             this attempt's number (1-based), already counted in the store
 * @param maxAttempts         attempts in all
 * @param timeoutMillis       attempt time limit, 0 for none
 * @param fencingToken        the lease's token: completions and renewals must present it
 * @param leaseExpiresAtMillis when the lease ends unless renewed
 * @param createdAtMillis     when the job was submitted
 * @param readyAtMillis       when the job became ready (for wait-time metrics)
 */
public record ClaimedJob(JobId id, String type, String queue, Priority priority, String tenant, byte[] payload,
                         int attempt, int maxAttempts, long timeoutMillis, long fencingToken,
                         long leaseExpiresAtMillis, long createdAtMillis, long readyAtMillis) {
}
