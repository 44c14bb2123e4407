package dev.sluice.graph;

import dev.sluice.internal.graph.Adjacency;
import dev.sluice.internal.graph.GraphArrays;
import dev.sluice.internal.graph.PlanDot;
import dev.sluice.internal.graph.PlanText;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How a {@link JobGraph} can run, worked out before it is submitted: its <b>levels</b> (level 0 holds the jobs
 * that wait for no job of the graph; level k the jobs whose longest chain of parents has k jobs, so all jobs of a
 * level can run at the same time once the levels before have run), and its <b>critical path</b>, the chain of
 * jobs whose estimated durations add up to the most: with enough workers the graph takes that long, and speeding
 * up any other job does not shorten it. Edges to jobs submitted earlier are taken as done. Made by
 * {@link JobGraph#plan(DurationEstimates)}; immutable.
 *
 * <p>{@link #toText()} renders it for logs, {@link #toDot()} as a Graphviz graph for docs
 * ({@code dot -Tsvg plan.dot > plan.svg}).
 */
public final class GraphPlan {

    private final JobGraph graph;
    private final long[] estimateNanos;
    private final long[] startNanos;
    private final int[] level;
    private final List<List<String>> levels;
    private final List<String> criticalPath;
    private final boolean[] critical;
    private final long criticalNanos;
    private final long workNanos;

    GraphPlan(JobGraph graph, DurationEstimates estimates) {
        for (String key : estimates.keys()) {
            if (!graph.contains(key)) {
                throw new IllegalArgumentException("an estimate names job " + JobGraph.quote(key)
                        + ", which the graph does not have");
            }
        }
        this.graph = graph;
        GraphArrays arrays = graph.arrays();
        Adjacency parents = arrays.parents();
        int n = graph.size();
        estimateNanos = new long[n];
        startNanos = new long[n];
        level = new int[n];
        long[] finish = new long[n];
        int depth = 0;
        long work = 0;
        int last = 0;
        // Positions are in topological order, so each parent is final before its children look at it.
        for (int p = 0; p < n; p++) {
            estimateNanos[p] = estimates.of(arrays.keys()[p], arrays.requests()[p].type()).toNanos();
            for (int e = parents.from(p); e < parents.to(p); e++) {
                int parent = parents.targets()[e];
                if (parent >= 0) {
                    level[p] = Math.max(level[p], level[parent] + 1);
                    startNanos[p] = Math.max(startNanos[p], finish[parent]);
                }
            }
            finish[p] = startNanos[p] + estimateNanos[p];
            work += estimateNanos[p];
            depth = Math.max(depth, level[p] + 1);
            if (finish[p] > finish[last]) {
                last = p;
            }
        }
        this.workNanos = work;
        this.criticalNanos = finish[last];
        this.levels = levelsOf(depth);
        this.critical = new boolean[n];
        this.criticalPath = backtrack(last, finish);
    }

    private List<List<String>> levelsOf(int depth) {
        List<List<String>> byLevel = new ArrayList<>(depth);
        for (int l = 0; l < depth; l++) {
            byLevel.add(new ArrayList<>());
        }
        for (int p = 0; p < level.length; p++) {
            byLevel.get(level[p]).add(graph.arrays().keys()[p]);
        }
        List<List<String>> frozen = new ArrayList<>(depth);
        for (List<String> keys : byLevel) {
            frozen.add(Collections.unmodifiableList(keys));
        }
        return Collections.unmodifiableList(frozen);
    }

    /** From the job that finishes last back through the parent it waited on longest, each time the first such. */
    private List<String> backtrack(int last, long[] finish) {
        List<String> path = new ArrayList<>();
        Adjacency parents = graph.arrays().parents();
        int p = last;
        while (p >= 0) {
            critical[p] = true;
            path.add(graph.arrays().keys()[p]);
            int before = -1;
            for (int e = parents.from(p); e < parents.to(p); e++) {
                int parent = parents.targets()[e];
                if (parent >= 0 && finish[parent] == startNanos[p] && (before < 0 || parent < before)) {
                    before = parent;
                }
            }
            p = before;
        }
        Collections.reverse(path);
        return Collections.unmodifiableList(path);
    }

    public JobGraph graph() {
        return graph;
    }

    /** The levels, first to run first; each lists its keys in the graph's order. */
    public List<List<String>> levels() {
        return levels;
    }

    /** The level of job {@code key}, 0 for a job that waits for no job of the graph. */
    public int level(String key) {
        return level[graph.positionOf(key)];
    }

    /** The most jobs of one level: how many workers the graph can keep busy at once, by its shape. */
    public int widestLevel() {
        int widest = 0;
        for (List<String> keys : levels) {
            widest = Math.max(widest, keys.size());
        }
        return widest;
    }

    /** The keys on the critical path, from its first job to its last. */
    public List<String> criticalPath() {
        return criticalPath;
    }

    public boolean onCriticalPath(String key) {
        return critical[graph.positionOf(key)];
    }

    /** The estimated length of the critical path: how long the graph takes with enough workers. */
    public Duration criticalPathDuration() {
        return Duration.ofNanos(criticalNanos);
    }

    /** The sum of all estimates: how long the graph takes on one worker. */
    public Duration totalWork() {
        return Duration.ofNanos(workNanos);
    }

    public Duration estimate(String key) {
        return Duration.ofNanos(estimateNanos[graph.positionOf(key)]);
    }

    /** When job {@code key} can start at the earliest, counted from the start of the graph, with enough workers. */
    public Duration earliestStart(String key) {
        return Duration.ofNanos(startNanos[graph.positionOf(key)]);
    }

    /**
     * The plan as text: a summary line, then one line per level (at most a dozen keys each; critical jobs marked
     * {@code *}) with each job's type and estimate.
     */
    public String toText() {
        return PlanText.render(this);
    }

    /**
     * The plan as a Graphviz DOT digraph: one node per job (key, type, estimate), an edge from each parent to its
     * child (dashed for RUN_DEPENDENTS, dotted for IGNORE), the critical path in red, each level on one rank, and
     * jobs submitted earlier as dashed boxes.
     */
    public String toDot() {
        return PlanDot.render(this);
    }

    @Override
    public String toString() {
        return toText();
    }
}
