package dev.sluice.store;

/**
 * The READY jobs of one tenant in one queue (jobs without a tenant share one lane), in claim order. Lanes let a
 * claim skip a tenant that reached its {@code maxPerTenant} without looking at its jobs one by one. Guarded by
 * the store's lock; a lane lives as long as its queue.
 */
final class TenantLane {

    final MemQueue queue;
    /** The tenant, or null for the jobs without one. */
    final String tenant;
    final ReadyQueue ready = new ReadyQueue();

    /** Slot in {@link MemQueue#readyLanes}, or -1 while the lane has no ready job (or a claim set it aside). */
    int laneIndex = -1;

    /** The claim call that last looked at this lane, and how many more of its jobs that call may take. */
    long claimEpoch;
    int claimBudget;

    TenantLane(MemQueue queue, String tenant) {
        this.queue = queue;
        this.tenant = tenant;
    }
}
