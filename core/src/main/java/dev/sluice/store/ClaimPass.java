package dev.sluice.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One claim call over a {@link JobTable}: walks the asked queues' ready jobs best first (the best head among the
 * queues, each queue's best lane by its head) and starts each job that the queue's and its tenant's bounds allow.
 * A tenant at its limit has its lane set aside for the rest of the call, so its jobs cost nothing to skip. Runs
 * under the store's lock.
 */
final class ClaimPass {

    private final JobTable table;
    private final ClaimRequest request;
    private final long now;
    private final long epoch;

    private ClaimPass(JobTable table, ClaimRequest request, long now) {
        this.table = table;
        this.request = request;
        this.now = now;
        this.epoch = ++table.claimEpoch;
    }

    static ClaimBatch claim(JobTable table, ClaimRequest request, long now) {
        return new ClaimPass(table, request, now).run();
    }

    private ClaimBatch run() {
        List<QueueClaim> asked = request.queues();
        long nextRunAt = 0;
        Cursor[] cursors = new Cursor[asked.size()];
        int active = 0;
        for (QueueClaim queueClaim : asked) {
            MemQueue queue = table.queues.get(queueClaim.queue());
            // a queue named twice in one request is served once, under its first bounds
            if (queue == null || queue.paused || queue.claimEpoch == epoch) {
                continue;
            }
            queue.claimEpoch = epoch;
            table.promoteDue(queue, now);
            MemJob nextScheduled = queue.scheduled.peek();
            if (nextScheduled != null && (nextRunAt == 0 || nextScheduled.runAtMillis < nextRunAt)) {
                nextRunAt = nextScheduled.runAtMillis;
            }
            if (queueClaim.max() > 0 && !queue.readyLanes.isEmpty()) {
                cursors[active++] = new Cursor(queue, queueClaim);
            }
        }
        int remaining = request.maxTotal();
        if (remaining <= 0 || active == 0) {
            return new ClaimBatch(List.of(), nextRunAt);
        }
        List<ClaimedJob> claimed = new ArrayList<>(Math.min(remaining, 1024));
        List<TenantLane> setAside = null;
        long leaseExpiresAt = now + request.leaseMillis();
        while (remaining > 0 && active > 0) {
            // Requests name few queues: a linear pick of the best head beats a merge heap here.
            int bestCursor = 0;
            MemJob best = cursors[0].head();
            for (int c = 1; c < active; c++) {
                MemJob head = cursors[c].head();
                if (JobHeap.readyBefore(head, best)) {
                    bestCursor = c;
                    best = head;
                }
            }
            Cursor cursor = cursors[bestCursor];
            TenantLane lane = best.lane;
            if (cursor.tenantMayTake(lane)) {
                cursor.queue.pollReady(lane);
                table.startAttempt(best, request.nodeId(), leaseExpiresAt, now);
                claimed.add(best.toClaimed());
                remaining--;
                cursor.taken++;
            } else {
                cursor.queue.readyLanes.remove(lane);
                if (setAside == null) {
                    setAside = new ArrayList<>();
                }
                setAside.add(lane);
            }
            if (cursor.taken >= cursor.claim.max() || cursor.queue.readyLanes.isEmpty()) {
                cursors[bestCursor] = cursors[--active];
            }
        }
        if (setAside != null) {
            for (TenantLane lane : setAside) {
                lane.queue.readyLanes.add(lane);
            }
        }
        return new ClaimBatch(Collections.unmodifiableList(claimed), nextRunAt);
    }

    /** One asked queue during the call. */
    private final class Cursor {
        final MemQueue queue;
        final QueueClaim claim;
        int taken;

        Cursor(MemQueue queue, QueueClaim claim) {
            this.queue = queue;
            this.claim = claim;
        }

        MemJob head() {
            return queue.readyLanes.peek().ready.peek();
        }

        /** Counts one job against the lane's tenant; false when the tenant is at its limit. */
        boolean tenantMayTake(TenantLane lane) {
            if (lane.tenant == null || claim.maxPerTenant() == Integer.MAX_VALUE) {
                return true;
            }
            if (lane.claimEpoch != epoch) {
                lane.claimEpoch = epoch;
                Integer inFlight = claim.tenantInFlight().get(lane.tenant);
                lane.claimBudget = claim.maxPerTenant() - (inFlight == null ? 0 : inFlight);
            }
            if (lane.claimBudget <= 0) {
                return false;
            }
            lane.claimBudget--;
            return true;
        }
    }
}
