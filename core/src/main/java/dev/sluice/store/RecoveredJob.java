package dev.sluice.store;

import dev.sluice.JobId;
import dev.sluice.JobState;

/**
 * A running job whose lease expired and that the store took back.
 *
 * @param id        the job
 * @param type      its type
 * @param queue     its queue
 * @param attempts  attempts counted so far (the expired one included)
 * @param newState  READY when attempts are left, else DEAD; CANCELLED when a cancel was requested while it ran
 * @param leaseOwner the node that held the lease
 */
public record RecoveredJob(JobId id, String type, String queue, int attempts, JobState newState,
                           String leaseOwner) {
}
