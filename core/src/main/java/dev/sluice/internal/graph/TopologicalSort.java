package dev.sluice.internal.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Orders the nodes of a graph so that every node comes after all of its parents (Kahn's algorithm, O(nodes +
 * edges)), or finds a cycle that makes such an order impossible. Nodes are numbered 0..n-1. The nodes without
 * parents come first, by number; every other node comes as soon as its last parent has come (breadth first), so
 * the order roughly follows the graph's levels.
 */
public final class TopologicalSort {

    private TopologicalSort() {
    }

    /**
     * @param parents  row i: the nodes node i depends on (targets below 0 are outside the graph and ignored)
     * @param children row i: the nodes that depend on node i (the same edges, the other way)
     * @return the nodes in an order where parents come first, or null when the graph has a cycle
     */
    public static int[] order(Adjacency parents, Adjacency children) {
        int n = parents.nodes();
        int[] waitingFor = inGraphParents(parents);
        int[] order = new int[n];
        int tail = 0;
        for (int i = 0; i < n; i++) {
            if (waitingFor[i] == 0) {
                order[tail++] = i;
            }
        }
        // order[] doubles as the FIFO queue: head chases tail over nodes whose parents all came already.
        int[] targets = children.targets();
        for (int head = 0; head < tail; head++) {
            int node = order[head];
            for (int e = children.from(node); e < children.to(node); e++) {
                if (--waitingFor[targets[e]] == 0) {
                    order[tail++] = targets[e];
                }
            }
        }
        return tail == n ? order : null;
    }

    private static int[] inGraphParents(Adjacency parents) {
        int[] count = new int[parents.nodes()];
        int[] targets = parents.targets();
        for (int i = 0; i < count.length; i++) {
            for (int e = parents.from(i); e < parents.to(i); e++) {
                count[i] += targets[e] >= 0 ? 1 : 0;
            }
        }
        return count;
    }

    /**
     * A cycle of a graph that {@link #order} refused, as the nodes on it in "runs before" order (each node is a
     * parent of the next, and the last is a parent of the first), starting at its lowest-numbered node.
     *
     * @throws IllegalArgumentException when the graph has no cycle
     */
    public static List<Integer> findCycle(Adjacency parents, Adjacency children) {
        int n = parents.nodes();
        // Peel off everything that can be ordered; each node left waits for at least one other node left.
        boolean[] left = new boolean[n];
        int[] waitingFor = inGraphParents(parents);
        int[] queue = new int[n];
        int tail = 0;
        for (int i = 0; i < n; i++) {
            left[i] = true;
            if (waitingFor[i] == 0) {
                queue[tail++] = i;
            }
        }
        int[] targets = children.targets();
        for (int head = 0; head < tail; head++) {
            int node = queue[head];
            left[node] = false;
            for (int e = children.from(node); e < children.to(node); e++) {
                if (--waitingFor[targets[e]] == 0) {
                    queue[tail++] = targets[e];
                }
            }
        }
        int start = -1;
        for (int i = 0; i < n && start < 0; i++) {
            if (left[i]) {
                start = i;
            }
        }
        if (start < 0) {
            throw new IllegalArgumentException("the graph of " + n + " nodes has no cycle");
        }
        // Walk from parent to parent among the nodes left until one repeats: the walk since then is a cycle.
        int[] seenAt = new int[n];
        Arrays.fill(seenAt, -1);
        List<Integer> walk = new ArrayList<>();
        int node = start;
        while (seenAt[node] < 0) {
            seenAt[node] = walk.size();
            walk.add(node);
            node = leftParent(parents, node, left);
        }
        List<Integer> cycle = new ArrayList<>(walk.subList(seenAt[node], walk.size()));
        Collections.reverse(cycle); // the walk went child to parent
        int lowest = cycle.indexOf(Collections.min(cycle));
        Collections.rotate(cycle, -lowest);
        return cycle;
    }

    private static int leftParent(Adjacency parents, int node, boolean[] left) {
        for (int e = parents.from(node); e < parents.to(node); e++) {
            int parent = parents.targets()[e];
            if (parent >= 0 && left[parent]) {
                return parent;
            }
        }
        throw new IllegalStateException("a node left after ordering has no parent left: not a cycle");
    }
}
