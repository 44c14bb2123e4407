package dev.sluice.internal.graph;

/**
 * The edges of a graph from each node, all in two arrays (compressed rows): node i's targets are
 * {@code targets[start[i]]} up to {@code targets[start[i + 1]]}, in the order they were declared. A target below
 * 0 stands for a node outside the graph (a job submitted earlier) and is skipped by graph walks. One array per
 * graph instead of one per node keeps a 100,000-job graph to a handful of objects.
 *
 * @param start   n + 1 offsets into targets
 * @param targets the target nodes, row after row
 */
public record Adjacency(int[] start, int[] targets) {

    /** The number of nodes. */
    public int nodes() {
        return start.length - 1;
    }

    /** The first index into {@link #targets} of node {@code node}'s row. */
    public int from(int node) {
        return start[node];
    }

    /** One past the last index into {@link #targets} of node {@code node}'s row. */
    public int to(int node) {
        return start[node + 1];
    }

    /** The same rows given one array per node. */
    public static Adjacency of(int[][] rows) {
        int[] start = new int[rows.length + 1];
        for (int i = 0; i < rows.length; i++) {
            start[i + 1] = start[i] + rows[i].length;
        }
        int[] targets = new int[start[rows.length]];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, targets, start[i], rows[i].length);
        }
        return new Adjacency(start, targets);
    }
}
