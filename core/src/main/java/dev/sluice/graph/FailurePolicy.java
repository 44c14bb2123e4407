package dev.sluice.graph;

/**
 * What a dependent job does when one of its parents ends DEAD or CANCELLED. Set per edge, or for a whole graph.
 */
public enum FailurePolicy {
    /**
     * The dependent is cancelled (and, through its own edges, its dependents in turn). The default: a child
     * usually cannot do its work without its parent's.
     */
    CANCEL_DEPENDENTS,
    /**
     * The dependent still runs once its other parents are done; it sees the failed parent's state and error
     * through {@code JobContext.parents()}. For clean-up and summary jobs.
     */
    RUN_DEPENDENTS,
    /**
     * The failed parent is treated as if the edge did not exist: the dependent runs once its other parents are
     * done, and the failed parent is left out of {@code JobContext.parents()}. For optional inputs.
     */
    IGNORE
}
