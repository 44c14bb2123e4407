package dev.sluice.store;

import dev.sluice.JobId;

/**
 * The outcome of storing one {@link NewJob}.
 *
 * @param id        the stored job's id; for a duplicate, the id of the live job that holds the unique key
 * @param duplicate true when the job was not stored because its unique key was held
 */
public record EnqueueResult(JobId id, boolean duplicate) {
}
