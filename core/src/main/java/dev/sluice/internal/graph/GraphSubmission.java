package dev.sluice.internal.graph;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.graph.GraphHandle;
import dev.sluice.graph.JobGraph;
import dev.sluice.internal.engine.JobEngine;
import dev.sluice.internal.engine.ParentLinks;
import dev.sluice.store.Dependency;
import dev.sluice.store.NewJob;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code Sluice.submit(JobGraph)}: the graph's requests in topological order, each with its edges turned into
 * store {@link Dependency}s (a parent of the graph by the id it was just given), through the engine's one submit
 * path: one store call, all jobs or none.
 */
public final class GraphSubmission implements ParentLinks {

    private final JobGraph graph;
    private final GraphAccess access;
    /**
     * The latest edge made to each parent, by position: the children of a fan-out share one (immutable) edge
     * object, which the store keeps for as long as they wait (24 bytes per waiting job saved).
     */
    private final Dependency[] edgeTo;

    private GraphSubmission(JobGraph graph) {
        this.graph = graph;
        this.access = GraphAccess.get();
        this.edgeTo = new Dependency[graph.size()];
    }

    public static GraphHandle submit(JobEngine engine, JobGraph graph) {
        Objects.requireNonNull(graph, "graph");
        GraphSubmission submission = new GraphSubmission(graph);
        List<JobRequest> requests = new ArrayList<>(graph.size());
        for (int position = 0; position < graph.size(); position++) {
            requests.add(submission.access.request(graph, position));
        }
        List<JobId> ids = engine.submitWithParents(requests, submission);
        return submission.access.handle(graph, ids.toArray(new JobId[0]));
    }

    @Override
    public List<Dependency> parentsOf(int position, List<NewJob> earlier) {
        JobGraph.Edge[] edges = access.edges(graph, position);
        if (edges.length == 0) {
            return List.of();
        }
        int[] parentPositions = access.edgeParents(graph, position);
        if (edges.length == 1) {
            // An immutable list: NewJob keeps it as it is instead of copying it.
            return List.of(dependency(edges[0], parentPositions[0], earlier));
        }
        Dependency[] parents = new Dependency[edges.length];
        for (int e = 0; e < parents.length; e++) {
            parents[e] = dependency(edges[e], parentPositions[e], earlier);
        }
        return List.of(parents);
    }

    private Dependency dependency(JobGraph.Edge edge, int parent, List<NewJob> earlier) {
        if (parent < 0) {
            return new Dependency(edge.parentId(), edge.onFailure());
        }
        Dependency shared = edgeTo[parent];
        if (shared == null || shared.onFailure() != edge.onFailure()) {
            shared = new Dependency(earlier.get(parent).id(), edge.onFailure());
            edgeTo[parent] = shared;
        }
        return shared;
    }

    @Override
    public String describe(int position) {
        return "graph job '" + graph.keys().get(position) + "'";
    }
}
