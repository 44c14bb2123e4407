package dev.sluice.ops;

import dev.sluice.JobState;
import dev.sluice.graph.FailurePolicy;

import java.time.Instant;
import java.util.List;

/**
 * One job with everything the admin API knows of it.
 *
 * @param job             the job
 * @param payloadBytes    size of its encoded payload
 * @param cancelRequested true when a cancel was asked while it runs
 * @param leaseExpiresAt  end of its lease while RUNNING, else null
 * @param fencingToken    token of its latest claim, 0 if never claimed
 * @param history         its audit trail, oldest first; empty when the trail is off (or was off when it ran)
 * @param parents         the jobs it waits for (dependency graphs), in the order given
 * @param children        the ids of jobs that wait for it, ascending
 */
public record JobDetail(JobSummary job, int payloadBytes, boolean cancelRequested, Instant leaseExpiresAt,
                        long fencingToken, List<StateChange> history, List<Parent> parents, List<String> children) {

    public JobDetail {
        history = List.copyOf(history);
        parents = List.copyOf(parents);
        children = List.copyOf(children);
    }

    /**
     * One entry of the audit trail.
     *
     * @param at      when the node made the change
     * @param from    the state before, null when the job was created
     * @param to      the state after
     * @param attempt the attempt it belongs to (0 before the first)
     * @param node    the node that made it
     * @param error   the error or reason, or null
     */
    public record StateChange(Instant at, JobState from, JobState to, int attempt, String node, String error) {
    }

    /**
     * An edge to a parent job.
     *
     * @param id        the parent's id
     * @param onFailure what happens to this job when the parent ends DEAD or CANCELLED
     * @param state     the parent's state now, or null when it is no longer stored
     */
    public record Parent(String id, FailurePolicy onFailure, JobState state) {
    }
}
