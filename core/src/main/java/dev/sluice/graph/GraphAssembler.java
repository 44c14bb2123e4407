package dev.sluice.graph;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.internal.graph.Adjacency;
import dev.sluice.internal.graph.GraphArrays;
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
 * Edges are kept as declared (by key, in parallel arrays rather than an object each) until {@link #build()}, so
 * jobs and edges may come in any order.
 */
final class GraphAssembler {

    private static final byte GRAPH_POLICY = -1;

    private int maxNodes = JobGraph.DEFAULT_MAX_NODES;
    FailurePolicy defaultPolicy = FailurePolicy.CANCEL_DEPENDENTS;
    /** Key to insertion index; handed to each graph built, and copied before the builder changes it again. */
    private Map<String, Integer> indexes = new HashMap<>();
    private boolean indexesShared;
    private final List<String> keys = new ArrayList<>();
    private final List<JobRequest> requests = new ArrayList<>();

    // Edge e as declared: its child's key, its parent's key or id, its policy (GRAPH_POLICY for the graph's).
    private int edgeCount;
    private String[] edgeChild = new String[16];
    private String[] edgeParentKey = new String[16];
    private JobId[] edgeParentId;
    private byte[] edgePolicy = new byte[16];
    private String lastKey;
    private int lastIndex;

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
        append(child, parent, null, policy);
    }

    void edge(String child, JobId parent, FailurePolicy policy) {
        requireKey(child);
        if (edgeParentId == null) {
            edgeParentId = new JobId[edgeChild.length];
        }
        append(child, null, parent, policy);
    }

    private void append(String child, String parentKey, JobId parentId, FailurePolicy policy) {
        if (edgeCount == edgeChild.length) {
            int grown = edgeCount * 2;
            edgeChild = Arrays.copyOf(edgeChild, grown);
            edgeParentKey = Arrays.copyOf(edgeParentKey, grown);
            edgePolicy = Arrays.copyOf(edgePolicy, grown);
        }
        if (edgeParentId != null && edgeParentId.length < edgeChild.length) {
            edgeParentId = Arrays.copyOf(edgeParentId, edgeChild.length);
        }
        edgeChild[edgeCount] = child;
        edgeParentKey[edgeCount] = parentKey;
        if (parentId != null) {
            edgeParentId[edgeCount] = parentId;
        }
        edgePolicy[edgeCount] = policy == null ? GRAPH_POLICY : (byte) policy.ordinal();
        edgeCount++;
    }

    JobGraph build() {
        int n = keys.size();
        if (n == 0) {
            throw new IllegalArgumentException("a graph needs at least one job but was given none");
        }
        // Resolve every edge to indexes, then lay them out by child (parents) and by parent (children), each as
        // one counting sort that keeps the declared order within a row.
        int[] childOf = new int[edgeCount];
        int[] parentOf = new int[edgeCount];
        int[] parentStart = new int[n + 1];
        int[] childStart = new int[n + 1];
        boolean external = false;
        for (int e = 0; e < edgeCount; e++) {
            childOf[e] = indexOf(edgeChild[e], e);
            parentOf[e] = edgeParentKey[e] == null ? -1 : indexOf(edgeParentKey[e], e);
            parentStart[childOf[e] + 1]++;
            if (parentOf[e] >= 0) {
                childStart[parentOf[e] + 1]++;
            } else {
                external = true;
            }
        }
        prefixSums(parentStart);
        prefixSums(childStart);
        int[] parentTargets = new int[edgeCount];
        int[] edgeAt = new int[edgeCount];
        int[] childTargets = new int[childStart[n]];
        int[] parentFill = Arrays.copyOf(parentStart, n);
        int[] childFill = Arrays.copyOf(childStart, n);
        for (int e = 0; e < edgeCount; e++) {
            int slot = parentFill[childOf[e]]++;
            parentTargets[slot] = parentOf[e];
            edgeAt[slot] = e;
            if (parentOf[e] >= 0) {
                childTargets[childFill[parentOf[e]]++] = childOf[e];
            }
        }
        Adjacency parents = new Adjacency(parentStart, parentTargets);
        Adjacency children = new Adjacency(childStart, childTargets);
        requireNoRepeatedEdge(parents, edgeAt);
        int[] order = TopologicalSort.order(parents, children);
        if (order == null) {
            List<String> cycle = new ArrayList<>();
            for (int index : TopologicalSort.findCycle(parents, children)) {
                cycle.add(keys.get(index));
            }
            throw new GraphCycleException(cycle);
        }
        return inOrder(order, parents, children, edgeAt, external);
    }

    private static void prefixSums(int[] start) {
        for (int i = 1; i < start.length; i++) {
            start[i] += start[i - 1];
        }
    }

    /** Sorts a copy of each row of two or more parents and looks for neighbours that match. */
    private void requireNoRepeatedEdge(Adjacency parents, int[] edgeAt) {
        int[] targets = parents.targets();
        for (int child = 0; child < parents.nodes(); child++) {
            int from = parents.from(child);
            int to = parents.to(child);
            if (to - from < 2) {
                continue;
            }
            int[] sorted = Arrays.copyOfRange(targets, from, to);
            Arrays.sort(sorted);
            for (int i = 1; i < sorted.length; i++) {
                if (sorted[i] == sorted[i - 1] && sorted[i] >= 0) {
                    throw repeated(quote(keys.get(sorted[i])), keys.get(child));
                }
            }
            if (sorted.length > 1 && sorted[1] < 0) { // two or more edges to earlier jobs: compare their ids
                Set<JobId> seen = new HashSet<>();
                for (int slot = from; slot < to; slot++) {
                    JobId id = targets[slot] < 0 ? edgeParentId[edgeAt[slot]] : null;
                    if (id != null && !seen.add(id)) {
                        throw repeated("job " + id, keys.get(child));
                    }
                }
            }
        }
    }

    /** The graph with every array laid out in topological order, indexes renumbered to positions. */
    private JobGraph inOrder(int[] order, Adjacency parents, Adjacency children, int[] edgeAt, boolean external) {
        int n = order.length;
        int[] positionOf = new int[n];
        for (int position = 0; position < n; position++) {
            positionOf[order[position]] = position;
        }
        String[] orderedKeys = new String[n];
        JobRequest[] orderedRequests = new JobRequest[n];
        int[] parentStart = new int[n + 1];
        int[] parentTargets = new int[edgeCount];
        byte[] policies = new byte[edgeCount];
        JobId[] externalIds = external ? new JobId[edgeCount] : null;
        int[] childStart = new int[n + 1];
        int[] childTargets = new int[children.targets().length];
        byte graphPolicy = (byte) defaultPolicy.ordinal();
        for (int position = 0; position < n; position++) {
            int index = order[position];
            orderedKeys[position] = keys.get(index);
            orderedRequests[position] = requests.get(index);
            int slot = parentStart[position];
            for (int e = parents.from(index); e < parents.to(index); e++, slot++) {
                int parent = parents.targets()[e];
                int declared = edgeAt[e];
                parentTargets[slot] = parent < 0 ? -1 : positionOf[parent];
                policies[slot] = edgePolicy[declared] == GRAPH_POLICY ? graphPolicy : edgePolicy[declared];
                if (parent < 0) {
                    externalIds[slot] = edgeParentId[declared];
                }
            }
            parentStart[position + 1] = slot;
            slot = childStart[position];
            for (int e = children.from(index); e < children.to(index); e++, slot++) {
                childTargets[slot] = positionOf[children.targets()[e]];
            }
            childStart[position + 1] = slot;
        }
        indexesShared = true;
        GraphArrays arrays = new GraphArrays(orderedKeys, orderedRequests, new Adjacency(parentStart, parentTargets),
                policies, externalIds, new Adjacency(childStart, childTargets));
        return new JobGraph(arrays, indexes, positionOf);
    }

    private int indexOf(String key, int edge) {
        // Fan-outs and fan-ins repeat one key (the same String) over many edges: one lookup serves them all.
        if (key == lastKey) {
            return lastIndex;
        }
        Integer index = indexes.get(key);
        if (index == null) {
            String parent = edgeParentKey[edge] != null ? quote(edgeParentKey[edge]) : "job " + edgeParentId[edge];
            throw new IllegalArgumentException("edge " + parent + " -> " + quote(edgeChild[edge]) + " names job "
                    + quote(key) + ", which the graph does not have; add it with job(" + quote(key) + ", request)");
        }
        lastKey = key;
        lastIndex = index;
        return index;
    }

    private static IllegalArgumentException repeated(String parent, String child) {
        return new IllegalArgumentException("edge " + parent + " -> " + quote(child) + " is declared twice");
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
