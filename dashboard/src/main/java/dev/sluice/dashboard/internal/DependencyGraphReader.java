package dev.sluice.dashboard.internal;

import dev.sluice.JobId;
import dev.sluice.dashboard.internal.ConsoleViews.GraphEdge;
import dev.sluice.dashboard.internal.ConsoleViews.GraphNode;
import dev.sluice.dashboard.internal.ConsoleViews.GraphView;
import dev.sluice.store.Dependency;
import dev.sluice.store.JobStore;
import dev.sluice.store.StoredJob;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the dependency graph around one job from the store: its ancestors and descendants, breadth first, up
 * to {@link #MAX_NODES} jobs, so that a page about one job never walks a graph of a million.
 */
final class DependencyGraphReader {

    static final int MAX_NODES = 80;

    private final JobStore store;

    DependencyGraphReader(JobStore store) {
        this.store = store;
    }

    GraphView around(JobId focus) {
        Set<JobId> seen = new LinkedHashSet<>();
        Map<String, GraphEdge> edges = new LinkedHashMap<>();
        Deque<JobId> pending = new ArrayDeque<>();
        seen.add(focus);
        pending.add(focus);
        boolean truncated = false;
        while (!pending.isEmpty()) {
            JobId id = pending.poll();
            List<JobId> linked = new ArrayList<>();
            for (Dependency parent : store.parentsOf(id)) {
                addEdge(edges, parent.parent(), id, parent.onFailure().name());
                linked.add(parent.parent());
            }
            for (JobId child : store.childrenOf(id)) {
                // The child's own parentsOf call names the edge's policy; until it is read, the edge is known only.
                linked.add(child);
                addEdge(edges, id, child, null);
            }
            for (JobId next : linked) {
                if (seen.contains(next)) {
                    continue;
                }
                if (seen.size() >= MAX_NODES) {
                    truncated = true;
                    continue;
                }
                seen.add(next);
                pending.add(next);
            }
        }
        if (seen.size() == 1) {
            return new GraphView(List.of(), List.of(), false, "This job has no dependencies.");
        }
        Map<JobId, StoredJob> jobs = new HashMap<>();
        for (StoredJob job : store.findAll(seen)) {
            jobs.put(job.id(), job);
        }
        List<GraphNode> nodes = new ArrayList<>();
        for (JobId id : seen) {
            StoredJob job = jobs.get(id);
            nodes.add(new GraphNode(id.toString(), job == null ? "?" : job.type(),
                    job == null ? "PURGED" : job.state().name(), id.equals(focus)));
        }
        List<GraphEdge> shown = edges.values().stream()
                .filter(e -> seen.contains(JobId.parse(e.parent())) && seen.contains(JobId.parse(e.child())))
                .toList();
        return new GraphView(nodes, shown, truncated,
                truncated ? "Only the " + MAX_NODES + " nearest jobs of the graph are drawn." : null);
    }

    /** Keeps one edge per pair; a sighting that names the policy wins over one that does not. */
    private static void addEdge(Map<String, GraphEdge> edges, JobId parent, JobId child, String policy) {
        GraphEdge edge = new GraphEdge(parent.toString(), child.toString(), policy);
        edges.merge(parent + ">" + child, edge, (old, now) -> old.onFailure() == null ? now : old);
    }
}
