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
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code Sluice.submit(JobGraph)}: the graph's requests in topological order, each with its edges turned into
 * store {@link Dependency}s (a parent of the graph by the id it was just given), through the engine's one submit
 * path: one store call, all jobs or none.
 */
public final class GraphSubmission implements ParentLinks {

    private final JobGraph graph;
    private final List<String> keys;
    private final Map<String, Integer> positions;

    private GraphSubmission(JobGraph graph) {
        this.graph = graph;
        this.keys = graph.keys();
        this.positions = new HashMap<>(keys.size() * 2);
        for (int i = 0; i < keys.size(); i++) {
            positions.put(keys.get(i), i);
        }
    }

    public static GraphHandle submit(JobEngine engine, JobGraph graph) {
        Objects.requireNonNull(graph, "graph");
        GraphSubmission submission = new GraphSubmission(graph);
        List<JobRequest> requests = new ArrayList<>(submission.keys.size());
        for (String key : submission.keys) {
            requests.add(graph.request(key));
        }
        List<JobId> ids = engine.submitWithParents(requests, submission);
        Map<String, JobId> byKey = new LinkedHashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            byKey.put(submission.keys.get(i), ids.get(i));
        }
        return GraphHandle.of(byKey);
    }

    @Override
    public List<Dependency> parentsOf(int index, List<NewJob> earlier) {
        List<JobGraph.Edge> edges = graph.parentsOf(keys.get(index));
        if (edges.isEmpty()) {
            return List.of();
        }
        Dependency[] parents = new Dependency[edges.size()];
        for (int e = 0; e < parents.length; e++) {
            JobGraph.Edge edge = edges.get(e);
            JobId parent = edge.external() ? edge.parentId() : earlier.get(positions.get(edge.parentKey())).id();
            parents[e] = new Dependency(parent, edge.onFailure());
        }
        return Arrays.asList(parents);
    }

    @Override
    public String describe(int index) {
        return "graph job '" + keys.get(index) + "'";
    }
}
