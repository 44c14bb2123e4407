package dev.sluice.ops;

import dev.sluice.JobState;
import dev.sluice.Priority;

import java.time.Instant;

/**
 * One job as the admin API lists it: plain values (ids as text), ready to be written as JSON. Times are null when
 * not reached.
 *
 * @param id          the job id ({@code JobId.parse} reads it back)
 * @param type        its type
 * @param queue       its queue
 * @param priority    its priority
 * @param state       its state
 * @param attempts    attempts started
 * @param maxAttempts attempts in all
 * @param createdAt   submission time
 * @param runAt       when a SCHEDULED job becomes due
 * @param startedAt   when the latest attempt started
 * @param finishedAt  when it reached a terminal state
 * @param lastError   the latest error
 * @param progress    0..1
 * @param tenant      tenant or null
 * @param uniqueKey   unique key or null
 * @param leaseOwner  the node running it, while RUNNING
 */
public record JobSummary(String id, String type, String queue, Priority priority, JobState state, int attempts,
                         int maxAttempts, Instant createdAt, Instant runAt, Instant startedAt, Instant finishedAt,
                         String lastError, double progress, String tenant, String uniqueKey, String leaseOwner) {
}
