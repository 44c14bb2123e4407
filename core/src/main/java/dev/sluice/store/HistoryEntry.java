package dev.sluice.store;

import dev.sluice.JobId;
import dev.sluice.JobState;

import java.time.Instant;
import java.util.Objects;

/**
 * One state transition of a job in the audit trail.
 *
 * @param id      the job
 * @param at      when it happened
 * @param from    the state before, or null when the job was created
 * @param to      the state after
 * @param attempt the attempt it belongs to (0 before the first)
 * @param node    the node that made it, or null
 * @param error   the error or reason, or null
 */
public record HistoryEntry(JobId id, Instant at, JobState from, JobState to, int attempt, String node,
                           String error) {

    public HistoryEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(to, "to");
    }
}
