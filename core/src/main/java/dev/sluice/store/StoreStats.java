package dev.sluice.store;

import dev.sluice.JobState;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of a store's counts, per queue.
 *
 * @param queues stats per queue name
 * @param takenAt when the snapshot was taken
 */
public record StoreStats(Map<String, QueueStats> queues, Instant takenAt) {
    public StoreStats {
        queues = Map.copyOf(queues);
    }

    /** Jobs in the state over all queues. */
    public long total(JobState state) {
        long n = 0;
        for (QueueStats q : queues.values()) {
            n += q.count(state);
        }
        return n;
    }
}
