package dev.sluice.store;

import dev.sluice.JobState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The bulk operator calls of an {@link InMemoryJobStore} that pick jobs by scanning the table: draining a queue and
 * purging finished jobs. Both are O(n log n) in the jobs held; they serve operators and the leader's maintenance,
 * never the hot path. Called under the store's lock.
 */
final class MemPurge {

    /** Newest finish first, then newest id: the order in which jobs are kept by a count rule. */
    private static final Comparator<MemJob> NEWEST_FIRST = Comparator
            .comparingLong((MemJob job) -> job.finishedAtMillis).reversed()
            .thenComparing((MemJob job) -> job.id, Comparator.reverseOrder());

    private MemPurge() {
    }

    /** Cancels up to {@code max} not-started jobs of a queue, smallest id first; see {@link JobStore#cancelWaiting}. */
    static int cancelWaiting(JobTable table, String queue, int max, long now) {
        PriorityQueue<MemJob> chosen = new PriorityQueue<>(Math.min(max, 1024) + 1,
                (a, b) -> b.id.compareTo(a.id));
        for (MemJob job : table.jobs.values()) {
            if (!queue.equals(job.queueName()) || !waiting(job.state)) {
                continue;
            }
            if (chosen.size() < max) {
                chosen.add(job);
            } else if (job.id.compareTo(chosen.peek().id) < 0) {
                chosen.poll();
                chosen.add(job);
            }
        }
        List<MemJob> inOrder = new ArrayList<>(chosen);
        inOrder.sort(Comparator.comparing((MemJob job) -> job.id));
        int cancelled = 0;
        for (MemJob job : inOrder) {
            // an earlier cancel of this call may have cascaded to it already
            if (waiting(job.state) && table.cancel(job, now) == CancelResult.CANCELLED) {
                cancelled++;
            }
        }
        return cancelled;
    }

    private static boolean waiting(JobState state) {
        return state == JobState.WAITING || state == JobState.SCHEDULED || state == JobState.READY;
    }

    /** Deletes the jobs the request picks, oldest finish first; see {@link JobStore#purge}. */
    static int purge(JobTable table, PurgeRequest request) {
        long before = request.finishedBefore() == null ? Long.MIN_VALUE : request.finishedBefore().toEpochMilli();
        Map<String, List<MemJob>> byType = new HashMap<>();
        for (MemJob job : table.jobs.values()) {
            if (request.states().contains(job.state)) {
                byType.computeIfAbsent(job.type, type -> new ArrayList<>()).add(job);
            }
        }
        List<MemJob> doomed = new ArrayList<>();
        for (List<MemJob> ofType : byType.values()) {
            ofType.sort(NEWEST_FIRST);
            for (int rank = 0; rank < ofType.size(); rank++) {
                MemJob job = ofType.get(rank);
                boolean tooOld = job.finishedAtMillis < before;
                boolean beyondKept = request.keepNewestPerType() >= 0 && rank >= request.keepNewestPerType();
                if (tooOld || beyondKept) {
                    doomed.add(job);
                }
            }
        }
        doomed.sort(NEWEST_FIRST.reversed());
        int deleted = Math.min(request.limit(), doomed.size());
        for (int i = 0; i < deleted; i++) {
            table.delete(doomed.get(i));
        }
        return deleted;
    }
}
