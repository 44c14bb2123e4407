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
     * @param parents  {@code parents[i]}: the nodes node i depends on
     * @param children {@code children[i]}: the nodes that depend on node i (the same edges, the other way)
     * @return the nodes in an order where parents come first, or null when the graph has a cycle
     */
    public static int[] order(int[][] parents, int[][] children) {
        int n = parents.length;
        int[] waitingFor = new int[n];
        int[] order = new int[n];
        int tail = 0;
        for (int i = 0; i < n; i++) {
            waitingFor[i] = parents[i].length;
            if (waitingFor[i] == 0) {
                order[tail++] = i;
            }
        }
        // order[] doubles as the FIFO queue: head chases tail over nodes whose parents all came already.
        for (int head = 0; head < tail; head++) {
            for (int child : children[order[head]]) {
                if (--waitingFor[child] == 0) {
                    order[tail++] = child;
                }
            }
        }
        return tail == n ? order : null;
    }

    /**
     * A cycle of a graph that {@link #order} refused, as the nodes on it in "runs before" order (each node is a
     * parent of the next, and the last is a parent of the first), starting at its lowest-numbered node.
     *
     * @throws IllegalArgumentException when the graph has no cycle
     */
    public static List<Integer> findCycle(int[][] parents, int[][] children) {
        int n = parents.length;
        // Peel off everything that can be ordered; each node left waits for at least one other node left.
        boolean[] left = new boolean[n];
        int[] waitingFor = new int[n];
        int[] queue = new int[n];
        int tail = 0;
        for (int i = 0; i < n; i++) {
            left[i] = true;
            waitingFor[i] = parents[i].length;
            if (waitingFor[i] == 0) {
                queue[tail++] = i;
            }
        }
        for (int head = 0; head < tail; head++) {
            left[queue[head]] = false;
            for (int child : children[queue[head]]) {
                if (--waitingFor[child] == 0) {
                    queue[tail++] = child;
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
            node = leftParent(parents[node], left);
        }
        List<Integer> cycle = new ArrayList<>(walk.subList(seenAt[node], walk.size()));
        Collections.reverse(cycle); // the walk went child to parent
        int lowest = cycle.indexOf(Collections.min(cycle));
        Collections.rotate(cycle, -lowest);
        return cycle;
    }

    private static int leftParent(int[] parents, boolean[] left) {
        for (int parent : parents) {
            if (left[parent]) {
                return parent;
            }
        }
        throw new IllegalStateException("a node left after ordering has no parent left: not a cycle");
    }
}
