/**
 * Dependency graphs: a {@link dev.sluice.graph.JobGraph} of jobs and edges, checked when built (cycles named by
 * {@link dev.sluice.graph.GraphCycleException}) and stored atomically by {@code Sluice.submit(JobGraph)}, which
 * returns a {@link dev.sluice.graph.GraphHandle} for {@code Sluice.graphStatus}; a
 * {@link dev.sluice.graph.FailurePolicy} per edge or per graph; job groups with an on-complete job that reads its
 * {@link dev.sluice.graph.GroupSummary}; the {@link dev.sluice.graph.GraphPlan} (levels, critical path under
 * {@link dev.sluice.graph.DurationEstimates}, text and DOT). Handlers read their parents through
 * {@code JobContext.parents()}. The machinery lives in {@code dev.sluice.internal.graph}; the store keeps the
 * edges and releases dependents (see {@code JobStore}).
 */
package dev.sluice.graph;
