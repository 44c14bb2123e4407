package dev.sluice.store;

import dev.sluice.JobState;

import java.time.Instant;
import java.util.Map;

/**
 * Counts of one queue.
 *
 * @param queue         the queue
 * @param counts        jobs per state (states with none may be absent)
 * @param oldestReadyAt when the longest-waiting READY job became ready, or null when none is ready
 * @param paused        whether the queue is paused
 */
public record QueueStats(String queue, Map<JobState, Long> counts, Instant oldestReadyAt, boolean paused) {
    public QueueStats {
        counts = Map.copyOf(counts);
    }

    /** Jobs in the state, 0 when absent. */
    public long count(JobState state) {
        return counts.getOrDefault(state, 0L);
    }
}
