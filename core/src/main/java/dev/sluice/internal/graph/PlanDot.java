package dev.sluice.internal.graph;

import dev.sluice.graph.FailurePolicy;
import dev.sluice.graph.GraphPlan;
import dev.sluice.graph.JobGraph;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link GraphPlan#toDot()}: a Graphviz digraph, parents above children, each level on one rank, the critical
 * path in red, RUN_DEPENDENTS edges dashed and IGNORE edges dotted, jobs submitted earlier as dashed boxes.
 */
public final class PlanDot {

    private static final String CRITICAL = "color=red, penwidth=2";

    private PlanDot() {
    }

    public static String render(GraphPlan plan) {
        JobGraph graph = plan.graph();
        StringBuilder out = new StringBuilder(64 + graph.size() * 64);
        out.append("digraph plan {\n  rankdir=TB;\n  node [shape=box, style=rounded];\n");
        Set<String> earlier = new HashSet<>();
        Map<String, String> criticalParent = new HashMap<>();
        List<String> path = plan.criticalPath();
        for (int i = 1; i < path.size(); i++) {
            criticalParent.put(path.get(i), path.get(i - 1));
        }
        for (String key : graph.keys()) {
            out.append("  ").append(id(key)).append(" [label=").append(id(key + "\n" + graph.request(key).type()
                    + ", " + DurationText.of(plan.estimate(key))));
            out.append(plan.onCriticalPath(key) ? ", " + CRITICAL : "").append("];\n");
            for (JobGraph.Edge edge : graph.parentsOf(key)) {
                String parent = edge.external() ? "job " + edge.parentId() : edge.parentKey();
                if (edge.external() && earlier.add(parent)) {
                    out.append("  ").append(id(parent)).append(" [label=").append(id(parent + "\n(submitted earlier)"))
                            .append(", style=dashed];\n");
                }
                out.append("  ").append(id(parent)).append(" -> ").append(id(key));
                String style = style(edge.onFailure(), !edge.external() && parent.equals(criticalParent.get(key)));
                out.append(style.isEmpty() ? "" : " [" + style + "]").append(";\n");
            }
        }
        for (List<String> level : plan.levels()) {
            if (level.size() > 1) {
                out.append("  { rank=same;");
                for (String key : level) {
                    out.append(' ').append(id(key)).append(';');
                }
                out.append(" }\n");
            }
        }
        return out.append("}\n").toString();
    }

    private static String style(FailurePolicy policy, boolean critical) {
        String line = switch (policy) {
            case CANCEL_DEPENDENTS -> "";
            case RUN_DEPENDENTS -> "style=dashed, label=\"run on failure\"";
            case IGNORE -> "style=dotted, label=\"ignore failure\"";
        };
        if (!critical) {
            return line;
        }
        return line.isEmpty() ? CRITICAL : line + ", " + CRITICAL;
    }

    /** A DOT quoted id: quotes and backslashes escaped, line breaks as DOT's {@code \n}. */
    static String id(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
