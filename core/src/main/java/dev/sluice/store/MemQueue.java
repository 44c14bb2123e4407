package dev.sluice.store;

import dev.sluice.JobState;

import java.util.HashMap;
import java.util.Map;

/**
 * One queue of {@link InMemoryJobStore}: its ready jobs in per-tenant lanes, its scheduled jobs by run-at, its
 * paused flag and its job counts per state (kept up to date on every change, so stats never scan). Guarded by
 * the store's lock.
 */
final class MemQueue {

    final String name;
    final JobHeap scheduled = JobHeap.byRunAt();
    final LaneHeap readyLanes = new LaneHeap();
    final long[] counts = new long[JobState.values().length];
    boolean paused;
    /** The claim call that last took from this queue: a queue named twice in one request is served once. */
    long claimEpoch;

    private final TenantLane noTenant;
    private final Map<String, TenantLane> tenants = new HashMap<>();

    MemQueue(String name) {
        this.name = name;
        this.noTenant = new TenantLane(this, null);
    }

    TenantLane lane(String tenant) {
        if (tenant == null) {
            return noTenant;
        }
        TenantLane lane = tenants.get(tenant);
        if (lane == null) {
            lane = new TenantLane(this, tenant);
            tenants.put(tenant, lane);
        }
        return lane;
    }

    /** Adds a READY job to its lane and keeps the lane order. */
    void addReady(MemJob job) {
        TenantLane lane = job.lane;
        lane.ready.add(job);
        if (!readyLanes.contains(lane)) {
            readyLanes.add(lane);
        } else if (lane.ready.peek() == job) {
            readyLanes.update(lane);
        }
    }

    /** Takes the best job of a lane that is in {@link #readyLanes}. */
    MemJob pollReady(TenantLane lane) {
        MemJob job = lane.ready.poll();
        if (lane.ready.isEmpty()) {
            readyLanes.remove(lane);
        } else {
            readyLanes.update(lane);
        }
        return job;
    }

    /** Removes a READY job (cancel). */
    void removeReady(MemJob job) {
        TenantLane lane = job.lane;
        boolean wasBest = lane.ready.peek() == job;
        lane.ready.remove(job);
        if (lane.ready.isEmpty()) {
            readyLanes.remove(lane);
        } else if (wasBest) {
            readyLanes.update(lane);
        }
    }

    /** Re-ranks a READY job whose sort key changed (reprioritize). */
    void updateReady(MemJob job) {
        TenantLane lane = job.lane;
        lane.ready.remove(job);
        lane.ready.add(job);
        readyLanes.update(lane);
    }

    /** The smallest ready-at of the queue's READY jobs, or {@link MemJob#NONE}. */
    long oldestReadyAt() {
        long oldest = noTenant.ready.minReadyAt();
        for (TenantLane lane : tenants.values()) {
            long readyAt = lane.ready.minReadyAt();
            if (readyAt != MemJob.NONE && (oldest == MemJob.NONE || readyAt < oldest)) {
                oldest = readyAt;
            }
        }
        return oldest;
    }
}
