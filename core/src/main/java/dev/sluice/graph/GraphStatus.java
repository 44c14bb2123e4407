package dev.sluice.graph;

import dev.sluice.JobId;
import dev.sluice.JobState;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where a submitted graph stands, read from the store at one moment by {@code Sluice.graphStatus}: how many of its
 * jobs are in each state, how much is done, and which jobs ended DEAD or CANCELLED. A job the store no longer holds
 * is counted as {@link #forgotten()}: stores drop only finished jobs (SUCCEEDED or CANCELLED, by their retention),
 * so it counts as done.
 *
 * @param total     jobs in the graph
 * @param counts    jobs per state, states without jobs left out
 * @param forgotten jobs the store no longer holds
 * @param failed    the jobs that ended DEAD or CANCELLED, in the graph's order
 */
public record GraphStatus(int total, Map<JobState, Integer> counts, int forgotten, List<FailedJob> failed) {

    public GraphStatus {
        EnumMap<JobState, Integer> copy = new EnumMap<>(JobState.class);
        copy.putAll(Objects.requireNonNull(counts, "counts"));
        counts = Collections.unmodifiableMap(copy);
        failed = List.copyOf(failed);
    }

    /** Jobs of the graph in {@code state} now. */
    public int count(JobState state) {
        return counts.getOrDefault(state, 0);
    }

    /** Jobs that will not run again on their own: SUCCEEDED, DEAD, CANCELLED and forgotten. */
    public int finished() {
        return count(JobState.SUCCEEDED) + count(JobState.DEAD) + count(JobState.CANCELLED) + forgotten;
    }

    /** {@link #finished()} as a percentage of the jobs, 0..100. */
    public double percentDone() {
        return total == 0 ? 100.0 : 100.0 * finished() / total;
    }

    /** True when every job has finished. */
    public boolean isFinished() {
        return finished() == total;
    }

    /** True when every job has finished and none ended DEAD or CANCELLED (forgotten jobs count as succeeded). */
    public boolean succeeded() {
        return isFinished() && failed.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("graph of ").append(total).append(" jobs, ")
                .append(String.format(Locale.ROOT, "%.1f", percentDone())).append("% done:");
        counts.forEach((state, n) -> text.append(' ').append(n).append(' ').append(state));
        if (forgotten > 0) {
            text.append(' ').append(forgotten).append(" forgotten");
        }
        return text.toString();
    }

    /**
     * A job of the graph that ended DEAD or CANCELLED.
     *
     * @param key   its key in the graph
     * @param id    its id
     * @param state DEAD or CANCELLED
     * @param error its last error (for a cancelled dependent, the parent that took it down), or null
     */
    public record FailedJob(String key, JobId id, JobState state, String error) {
    }
}
