package dev.sluice.store;

import java.util.Arrays;

/**
 * An indexed min-heap of the lanes of one queue that have ready jobs, ordered by each lane's best job, so that
 * the queue's best job is the head of the head lane. Each lane knows its slot ({@link TenantLane#laneIndex}).
 * Guarded by the store's lock.
 */
final class LaneHeap {

    private TenantLane[] lanes = new TenantLane[4];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    /** The lane holding the queue's best ready job, or null. */
    TenantLane peek() {
        return size == 0 ? null : lanes[0];
    }

    boolean contains(TenantLane lane) {
        return lane.laneIndex >= 0;
    }

    /** Adds a lane that has at least one ready job. */
    void add(TenantLane lane) {
        if (size == lanes.length) {
            lanes = Arrays.copyOf(lanes, size * 2);
        }
        int slot = size++;
        lanes[slot] = lane;
        lane.laneIndex = slot;
        siftUp(slot);
    }

    void remove(TenantLane lane) {
        int slot = lane.laneIndex;
        lane.laneIndex = -1;
        int last = --size;
        if (slot != last) {
            TenantLane moved = lanes[last];
            lanes[slot] = moved;
            moved.laneIndex = slot;
            lanes[last] = null;
            update(moved);
        } else {
            lanes[last] = null;
        }
    }

    /** Restores order after the lane's best job changed. */
    void update(TenantLane lane) {
        int slot = lane.laneIndex;
        siftUp(slot);
        if (lanes[slot] == lane) {
            siftDown(slot);
        }
    }

    private static boolean before(TenantLane a, TenantLane b) {
        return JobHeap.readyBefore(a.ready.peek(), b.ready.peek());
    }

    private void siftUp(int slot) {
        TenantLane lane = lanes[slot];
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            TenantLane up = lanes[parent];
            if (!before(lane, up)) {
                break;
            }
            lanes[slot] = up;
            up.laneIndex = slot;
            slot = parent;
        }
        lanes[slot] = lane;
        lane.laneIndex = slot;
    }

    private void siftDown(int slot) {
        TenantLane lane = lanes[slot];
        int half = size >>> 1;
        while (slot < half) {
            int child = 2 * slot + 1;
            TenantLane best = lanes[child];
            int right = child + 1;
            if (right < size && before(lanes[right], best)) {
                child = right;
                best = lanes[right];
            }
            if (!before(best, lane)) {
                break;
            }
            lanes[slot] = best;
            best.laneIndex = slot;
            slot = child;
        }
        lanes[slot] = lane;
        lane.laneIndex = slot;
    }
}
