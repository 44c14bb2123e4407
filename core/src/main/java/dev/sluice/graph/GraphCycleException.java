package dev.sluice.graph;

import java.util.List;

/**
 * A {@link JobGraph} was refused because its edges form a cycle, so no job on it could ever start. The message
 * names the jobs on the cycle by their keys, in "runs before" order ({@code cycle: a -> b -> c -> a} means b
 * depends on a, c on b and a on c); {@link #cycle()} lists them all. Nothing was stored.
 */
public final class GraphCycleException extends IllegalArgumentException {

    /** Keys named in the message at most; a longer cycle is shortened there (not in {@link #cycle()}). */
    private static final int MAX_NAMED = 20;

    private final List<String> cycle;

    public GraphCycleException(List<String> cycle) {
        super(describe(cycle));
        this.cycle = List.copyOf(cycle);
    }

    /** The keys of the jobs on the cycle, each a parent of the next and the last a parent of the first. */
    public List<String> cycle() {
        return cycle;
    }

    private static String describe(List<String> cycle) {
        StringBuilder text = new StringBuilder(cycle.size() > MAX_NAMED
                ? "cycle of " + cycle.size() + " jobs: " : "cycle: ");
        for (int i = 0; i < Math.min(cycle.size(), MAX_NAMED); i++) {
            text.append(cycle.get(i)).append(" -> ");
        }
        if (cycle.size() > MAX_NAMED) {
            text.append("... -> ");
        }
        return text.append(cycle.get(0)).toString();
    }
}
