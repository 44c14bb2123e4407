package dev.sluice.store;

import dev.sluice.JobState;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which finished jobs {@link JobStore#purge} deletes: jobs in {@code states} that finished before
 * {@code finishedBefore}, or that are not among the {@code keepNewestPerType} most recently finished jobs of their
 * type in those states — at most {@code limit} of them per call, so that no call becomes one huge delete.
 *
 * @param states            terminal states to purge (SUCCEEDED, CANCELLED, DEAD), not empty
 * @param finishedBefore    purge jobs finished before this time, or null for no age rule
 * @param keepNewestPerType keep this many most recently finished jobs per type (ties by id, newest id kept),
 *                          or -1 for no count rule
 * @param limit             the most jobs deleted by one call, 1..100,000
 */
public record PurgeRequest(Set<JobState> states, Instant finishedBefore, int keepNewestPerType, int limit) {

    public PurgeRequest {
        Objects.requireNonNull(states, "states");
        if (states.isEmpty()) {
            throw new IllegalArgumentException("states must not be empty");
        }
        for (JobState state : states) {
            if (!state.isTerminal()) {
                throw new IllegalArgumentException("only terminal states can be purged but states held " + state);
            }
        }
        states = Set.copyOf(EnumSet.copyOf(states));
        if (finishedBefore == null && keepNewestPerType < 0) {
            throw new IllegalArgumentException("a purge needs finishedBefore or keepNewestPerType >= 0");
        }
        if (keepNewestPerType < -1) {
            throw new IllegalArgumentException("keepNewestPerType must be >= 0, or -1 for none, but was "
                    + keepNewestPerType);
        }
        if (limit < 1 || limit > 100_000) {
            throw new IllegalArgumentException("limit must be in 1..100000 but was " + limit);
        }
    }
}
