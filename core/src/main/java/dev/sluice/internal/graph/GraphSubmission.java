package dev.sluice.internal.graph;

import dev.sluice.JobId;
import dev.sluice.graph.FailurePolicy;
import dev.sluice.graph.GraphHandle;
import dev.sluice.graph.JobGraph;
import dev.sluice.internal.engine.JobEngine;
import dev.sluice.internal.engine.ParentLinks;
import dev.sluice.store.Dependency;
import dev.sluice.store.NewJob;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * {@code Sluice.submit(JobGraph)}: the graph's requests in topological order, each with its edges turned into
 * store {@link Dependency}s (a parent of the graph by the id it was just given), through the engine's one submit
 * path: one store call, all jobs or none.
 */
public final class GraphSubmission implements ParentLinks {

    private final GraphArrays graph;
    /**
     * The latest edge made to each parent, by position: the children of a fan-out share one (immutable) edge
     * object, which the store keeps for as long as they wait (24 bytes per waiting job saved).
     */
    private final Dependency[] edgeTo;

    private GraphSubmission(GraphArrays graph) {
        this.graph = graph;
        this.edgeTo = new Dependency[graph.size()];
    }

    public static GraphHandle submit(JobEngine engine, JobGraph graph) {
        Objects.requireNonNull(graph, "graph");
        GraphAccess access = GraphAccess.get();
        GraphSubmission submission = new GraphSubmission(access.arrays(graph));
        List<JobId> ids = engine.submitWithParents(Arrays.asList(submission.graph.requests()), submission);
        return access.handle(graph, ids.toArray(new JobId[0]));
    }

    @Override
    public List<Dependency> parentsOf(int position, List<NewJob> earlier) {
        Adjacency parents = graph.parents();
        int from = parents.from(position);
        int to = parents.to(position);
        if (from == to) {
            return List.of();
        }
        if (to - from == 1) {
            // An immutable list: NewJob keeps it as it is instead of copying it.
            return List.of(dependency(from, earlier));
        }
        Dependency[] edges = new Dependency[to - from];
        for (int e = from; e < to; e++) {
            edges[e - from] = dependency(e, earlier);
        }
        return List.of(edges);
    }

    private Dependency dependency(int edge, List<NewJob> earlier) {
        int parent = graph.parents().targets()[edge];
        FailurePolicy policy = graph.policy(edge);
        if (parent < 0) {
            return new Dependency(graph.externalParent(edge), policy);
        }
        Dependency shared = edgeTo[parent];
        if (shared == null || shared.onFailure() != policy) {
            shared = new Dependency(earlier.get(parent).id(), policy);
            edgeTo[parent] = shared;
        }
        return shared;
    }

    @Override
    public String describe(int position) {
        return "graph job '" + graph.keys()[position] + "'";
    }
}
