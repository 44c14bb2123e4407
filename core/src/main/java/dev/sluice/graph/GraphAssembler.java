package dev.sluice.graph;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.internal.graph.TopologicalSort;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dev.sluice.graph.JobGraph.quote;

/**
 * What {@link JobGraph.Builder} has been told, and the checks and ordering that turn it into a {@link JobGraph}.
 * Edges are kept as declared (by key) until {@link #build()}, so jobs and edges may come in any order.
 */
final class GraphAssembler {

    private int maxNodes = JobGraph.DEFAULT_MAX_NODES;
    FailurePolicy defaultPolicy = FailurePolicy.CANCEL_DEPENDENTS;
    /** Key to insertion index; handed to each graph built, and copied before the builder changes it again. */
    private Map<String, Integer> indexes = new HashMap<>();
    private boolean indexesShared;
    private final List<String> keys = new ArrayList<>();
    private final List<JobRequest> requests = new ArrayList<>();
    private final List<Declared> edges = new ArrayList<>();
    private String lastKey;
    private int lastIndex;

    /** An edge as declared; the policy is null for the graph's policy, the parent a key or an id. */
    private record Declared(String child, String parentKey, JobId parentId, FailurePolicy policy) {
    }

    void maxNodes(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxNodes must be >= 1 but was " + max);
        }
        maxNodes = max;
    }

    void add(String key, JobRequest request) {
        requireKey(key);
        Objects.requireNonNull(request, () -> "request of job " + quote(key));
        if (keys.size() >= maxNodes) {
            throw new IllegalArgumentException("the graph is full: it holds maxNodes = " + maxNodes + " jobs and "
                    + quote(key) + " would be one more; raise JobGraph.builder().maxNodes(n) before adding jobs");
        }
        if (indexesShared) {
            indexes = new HashMap<>(indexes);
            indexesShared = false;
        }
        if (indexes.putIfAbsent(key, keys.size()) != null) {
            throw new IllegalArgumentException("the graph has a job with key " + quote(key) + " already");
        }
        keys.add(key);
        requests.add(request);
    }

    void edge(String child, String parent, FailurePolicy policy) {
        requireKey(child);
        requireKey(parent);
        if (child.equals(parent)) {
            throw new IllegalArgumentException("job " + quote(child) + " cannot depend on itself");
        }
        edges.add(new Declared(child, parent, null, policy));
    }

    void edge(String child, JobId parent, FailurePolicy policy) {
        requireKey(child);
        edges.add(new Declared(child, null, parent, policy));
    }

    JobGraph build() {
        int n = keys.size();
        if (n == 0) {
            throw new IllegalArgumentException("a graph needs at least one job but was given none");
        }
        // Count first, then fill exact-size arrays: a fan-in of 100,000 parents costs no list growth.
        int[] edgeCount = new int[n];
        int[] parentCount = new int[n];
        int[] childCount = new int[n];
        int[] childOf = new int[edges.size()];
        int[] parentOf = new int[edges.size()];
        for (int e = 0; e < edges.size(); e++) {
            Declared d = edges.get(e);
            int child = indexOf(d.child, d);
            int parent = d.parentKey == null ? -1 : indexOf(d.parentKey, d);
            childOf[e] = child;
            parentOf[e] = parent;
            edgeCount[child]++;
            if (parent >= 0) {
                parentCount[child]++;
                childCount[parent]++;
            }
        }
        int[][] parents = new int[n][];
        int[][] children = new int[n][];
        int[][] edgeParents = new int[n][];
        JobGraph.Edge[][] declared = new JobGraph.Edge[n][];
        for (int i = 0; i < n; i++) {
            parents[i] = new int[parentCount[i]];
            children[i] = new int[childCount[i]];
            edgeParents[i] = new int[edgeCount[i]];
            declared[i] = new JobGraph.Edge[edgeCount[i]];
            parentCount[i] = 0;
            childCount[i] = 0;
            edgeCount[i] = 0;
        }
        for (int e = 0; e < edges.size(); e++) {
            Declared d = edges.get(e);
            int child = childOf[e];
            int parent = parentOf[e];
            FailurePolicy policy = d.policy != null ? d.policy : defaultPolicy;
            edgeParents[child][edgeCount[child]] = parent;
            declared[child][edgeCount[child]++] = new JobGraph.Edge(d.parentKey, d.parentId, policy);
            if (parent >= 0) {
                parents[child][parentCount[child]++] = parent;
                children[parent][childCount[parent]++] = child;
            }
        }
        requireNoRepeatedEdge(parents, declared);
        int[] order = TopologicalSort.order(parents, children);
        if (order == null) {
            List<String> cycle = new ArrayList<>();
            for (int index : TopologicalSort.findCycle(parents, children)) {
                cycle.add(keys.get(index));
            }
            throw new GraphCycleException(cycle);
        }
        return inOrder(order, parents, children, edgeParents, declared);
    }

    /** Sorts a copy of each job's parents (only jobs with two or more) and looks for neighbours that match. */
    private void requireNoRepeatedEdge(int[][] parents, JobGraph.Edge[][] declared) {
        for (int child = 0; child < parents.length; child++) {
            if (parents[child].length > 1) {
                int[] sorted = parents[child].clone();
                Arrays.sort(sorted);
                for (int i = 1; i < sorted.length; i++) {
                    if (sorted[i] == sorted[i - 1]) {
                        throw repeated(quote(keys.get(sorted[i])), keys.get(child));
                    }
                }
            }
            if (declared[child].length > parents[child].length + 1) {
                Set<JobId> external = new HashSet<>();
                for (JobGraph.Edge edge : declared[child]) {
                    if (edge.external() && !external.add(edge.parentId())) {
                        throw repeated("job " + edge.parentId(), keys.get(child));
                    }
                }
            }
        }
    }

    /** The graph with every array rearranged into topological order, positions renumbered to match. */
    private JobGraph inOrder(int[] order, int[][] parents, int[][] children, int[][] edgeParents,
                             JobGraph.Edge[][] declared) {
        int n = order.length;
        int[] positionOf = new int[n];
        for (int position = 0; position < n; position++) {
            positionOf[order[position]] = position;
        }
        String[] orderedKeys = new String[n];
        JobRequest[] orderedRequests = new JobRequest[n];
        JobGraph.Edge[][] orderedEdges = new JobGraph.Edge[n][];
        int[][] orderedEdgeParents = new int[n][];
        int[][] orderedParents = new int[n][];
        int[][] orderedChildren = new int[n][];
        for (int position = 0; position < n; position++) {
            int index = order[position];
            orderedKeys[position] = keys.get(index);
            orderedRequests[position] = requests.get(index);
            orderedEdges[position] = declared[index];
            orderedEdgeParents[position] = renumber(edgeParents[index], positionOf);
            orderedParents[position] = renumber(parents[index], positionOf);
            orderedChildren[position] = renumber(children[index], positionOf);
        }
        indexesShared = true;
        return new JobGraph(orderedKeys, orderedRequests, orderedEdges, orderedEdgeParents, orderedParents,
                orderedChildren, indexes, positionOf);
    }

    private static int[] renumber(int[] indexes, int[] positionOf) {
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = indexes[i] < 0 ? -1 : positionOf[indexes[i]];
        }
        return indexes;
    }

    private int indexOf(String key, Declared edge) {
        // Fan-outs and fan-ins repeat one key (the same String) over many edges: one lookup serves them all.
        if (key == lastKey) {
            return lastIndex;
        }
        Integer index = indexes.get(key);
        if (index == null) {
            throw new IllegalArgumentException("edge " + describe(edge) + " names job " + quote(key)
                    + ", which the graph does not have; add it with job(" + quote(key) + ", request)");
        }
        lastKey = key;
        lastIndex = index;
        return index;
    }

    private static IllegalArgumentException repeated(String parent, String child) {
        return new IllegalArgumentException("edge " + parent + " -> " + quote(child) + " is declared twice");
    }

    private static String describe(Declared edge) {
        return (edge.parentKey != null ? quote(edge.parentKey) : "job " + edge.parentId) + " -> "
                + quote(edge.child);
    }

    private static void requireKey(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a job key must not be null or blank but was " + quote(key));
        }
        if (key.length() > JobGraph.MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("a job key must be at most " + JobGraph.MAX_KEY_LENGTH
                    + " characters but was " + key.length() + ": " + quote(key.substring(0, 40) + "..."));
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new IllegalArgumentException("a job key must not contain control characters but was "
                        + quote(key));
            }
        }
    }
}
