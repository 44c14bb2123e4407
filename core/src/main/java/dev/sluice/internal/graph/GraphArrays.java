package dev.sluice.internal.graph;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.graph.FailurePolicy;

/**
 * A built {@code JobGraph} as arrays, every one in topological order (a job's parents in the graph come before
 * it). Owned by the graph; nobody changes them.
 *
 * @param keys     the jobs' keys, by position
 * @param requests the jobs' requests, by position
 * @param parents  each job's edges in declared order: the parent's position, or -1 for a job submitted earlier
 * @param policies per edge (aligned with {@code parents.targets()}), the {@link FailurePolicy} ordinal
 * @param external per edge, the id of a parent submitted earlier (null for a parent in the graph); null itself
 *                 when the graph has no such edge
 * @param children each job's children in the graph, by position
 */
public record GraphArrays(String[] keys, JobRequest[] requests, Adjacency parents, byte[] policies,
                          JobId[] external, Adjacency children) {

    private static final FailurePolicy[] POLICIES = FailurePolicy.values();

    public int size() {
        return keys.length;
    }

    /** The policy of edge {@code edge} (an index into {@code parents.targets()}). */
    public FailurePolicy policy(int edge) {
        return POLICIES[policies[edge]];
    }

    /** The earlier job edge {@code edge} waits for, or null when its parent is in the graph. */
    public JobId externalParent(int edge) {
        return external == null ? null : external[edge];
    }
}
