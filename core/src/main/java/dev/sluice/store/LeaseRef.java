package dev.sluice.store;

import dev.sluice.JobId;

/** A lease a node holds: the job and the fencing token of its claim. */
public record LeaseRef(JobId id, long fencingToken) {
}
