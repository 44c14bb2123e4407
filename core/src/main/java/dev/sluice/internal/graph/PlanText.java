package dev.sluice.internal.graph;

import dev.sluice.graph.GraphPlan;
import dev.sluice.graph.JobGraph;

import java.util.List;

/** {@link GraphPlan#toText()}: a summary line, then a line per level; long levels and paths are shortened. */
public final class PlanText {

    /** Keys shown per level, and at each end of the critical path, at most. */
    static final int MAX_KEYS = 12;

    private PlanText() {
    }

    public static String render(GraphPlan plan) {
        JobGraph graph = plan.graph();
        List<List<String>> levels = plan.levels();
        StringBuilder out = new StringBuilder(256);
        out.append("plan: ").append(count(graph.size(), "job")).append(" in ").append(count(levels.size(), "level"))
                .append(", at most ").append(plan.widestLevel()).append(" at once; critical path ")
                .append(DurationText.of(plan.criticalPathDuration())).append(" of ")
                .append(DurationText.of(plan.totalWork())).append(" of work: ");
        path(out, plan.criticalPath());
        int earlier = 0;
        for (String key : graph.keys()) {
            for (JobGraph.Edge edge : graph.parentsOf(key)) {
                earlier += edge.external() ? 1 : 0;
            }
        }
        if (earlier > 0) {
            out.append("\n(plus ").append(count(earlier, "edge")).append(" to jobs submitted earlier, taken as done)");
        }
        for (int l = 0; l < levels.size(); l++) {
            List<String> keys = levels.get(l);
            out.append("\nlevel ").append(l + 1).append(" (").append(keys.size()).append("): ");
            for (int i = 0; i < Math.min(keys.size(), MAX_KEYS); i++) {
                String key = keys.get(i);
                out.append(i == 0 ? "" : ", ").append(key).append(plan.onCriticalPath(key) ? "*" : "")
                        .append(" (").append(graph.request(key).type()).append(", ")
                        .append(DurationText.of(plan.estimate(key))).append(')');
            }
            if (keys.size() > MAX_KEYS) {
                out.append(", ... and ").append(keys.size() - MAX_KEYS).append(" more");
            }
        }
        return out.append("\n* on the critical path").toString();
    }

    private static void path(StringBuilder out, List<String> path) {
        for (int i = 0; i < path.size(); i++) {
            if (path.size() > 2 * MAX_KEYS && i == MAX_KEYS) {
                out.append(" -> ... ").append(path.size() - 2 * MAX_KEYS).append(" more");
                i = path.size() - MAX_KEYS;
            }
            out.append(i == 0 ? "" : " -> ").append(path.get(i));
        }
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
