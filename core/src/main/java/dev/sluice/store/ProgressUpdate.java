package dev.sluice.store;

import dev.sluice.JobId;

/**
 * Progress of a running job, fenced by its lease token.
 *
 * @param id           the job
 * @param fencingToken the running attempt's token
 * @param progress     0..1
 * @param checkpoint   opaque bytes to keep for resuming (batch cursors), or null to keep the previous one
 */
public record ProgressUpdate(JobId id, long fencingToken, double progress, byte[] checkpoint) {
    public ProgressUpdate {
        if (!(progress >= 0 && progress <= 1)) {
            throw new IllegalArgumentException("progress must be in [0, 1] but was " + progress + " for job " + id);
        }
    }
}
