package dev.sluice.internal.graph;

import dev.sluice.JobId;
import dev.sluice.graph.GraphHandle;
import dev.sluice.graph.JobGraph;

import java.util.Objects;

/**
 * The engine's view of a {@link JobGraph} by position (its topological order), without hash lookups by key and
 * without widening the graph's public API: {@code JobGraph} installs the one implementation when its class is
 * initialised, which has happened before anyone holds a graph to ask about.
 */
public abstract class GraphAccess {

    private static volatile GraphAccess installed;

    /** Called once, by {@code JobGraph}'s static initialiser. */
    public static void install(GraphAccess access) {
        if (installed != null) {
            throw new IllegalStateException("graph access is installed already");
        }
        installed = Objects.requireNonNull(access, "access");
    }

    static GraphAccess get() {
        return installed;
    }

    /** The graph's arrays, in topological order; the caller must not modify them. */
    public abstract GraphArrays arrays(JobGraph graph);

    /** A handle over {@code ids}, given in the graph's order, without copying the keys again. */
    public abstract GraphHandle handle(JobGraph graph, JobId[] ids);
}
