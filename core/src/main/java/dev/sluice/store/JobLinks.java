package dev.sluice.store;

import dev.sluice.graph.FailurePolicy;

import java.util.Arrays;
import java.util.List;

/**
 * The dependency edges of one job of an {@link InMemoryJobStore}; only jobs in a graph have one, so that plain
 * jobs pay a single null field. Guarded by the store's lock.
 *
 * <p>Edges are kept twice: on the child as given (for {@link JobStore#parentsOf}), and on the parent as parallel
 * arrays of children and their edge policies, so that releasing the dependents of a parent costs O(1) per edge
 * however many parents a child has.
 */
final class JobLinks {

    private static final FailurePolicy[] POLICIES = FailurePolicy.values();

    /** The edges this job waits on, as given. */
    List<Dependency> parents = List.of();
    /** Parents not yet resolved; the job is WAITING while it is above 0. */
    int pending;
    /**
     * Dependents that have not finished: while above 0 this job is kept even past the store's retainFinished,
     * so that they can still read its state and result.
     */
    int unfinishedChildren;

    private MemJob[] children;
    private byte[] childPolicies;
    private int childCount;

    void addChild(MemJob child, FailurePolicy policy) {
        if (children == null) {
            children = new MemJob[4];
            childPolicies = new byte[4];
        } else if (childCount == children.length) {
            int grown = childCount * 2;
            children = Arrays.copyOf(children, grown);
            childPolicies = Arrays.copyOf(childPolicies, grown);
        }
        children[childCount] = child;
        childPolicies[childCount] = (byte) policy.ordinal();
        childCount++;
    }

    int childCount() {
        return childCount;
    }

    MemJob child(int index) {
        return children[index];
    }

    FailurePolicy policy(int index) {
        return POLICIES[childPolicies[index]];
    }
}
