package dev.sluice.graph;

import dev.sluice.JobId;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The ids a submitted {@link JobGraph}'s jobs were stored under, by key, in the graph's (topological) order. Pass
 * it to {@code Sluice.graphStatus}; keep {@link #ids()} (for example in a database) and make a handle again with
 * {@link #of} to follow the graph from another process. Immutable and thread-safe.
 */
public final class GraphHandle {

    private final String[] keys;
    private final JobId[] ids;
    /** Key to an index; with {@code positionOf}, index to position in {@code ids}, else the position itself. */
    private final Map<String, Integer> lookup;
    private final int[] positionOf;
    private volatile Map<String, JobId> view;

    /** Shares the graph's arrays and key index: submitting a graph copies no map. */
    GraphHandle(String[] keys, JobId[] ids, Map<String, Integer> lookup, int[] positionOf) {
        this.keys = keys;
        this.ids = ids;
        this.lookup = lookup;
        this.positionOf = positionOf;
    }

    /**
     * A handle over these ids, in the map's iteration order.
     *
     * @throws IllegalArgumentException when the map is empty or holds a null key or id
     */
    public static GraphHandle of(Map<String, JobId> idsByKey) {
        Objects.requireNonNull(idsByKey, "idsByKey");
        if (idsByKey.isEmpty()) {
            throw new IllegalArgumentException("a graph handle needs at least one job but was given none");
        }
        String[] keys = new String[idsByKey.size()];
        JobId[] ids = new JobId[keys.length];
        Map<String, Integer> lookup = new HashMap<>(keys.length * 2);
        idsByKey.forEach((key, id) -> {
            if (key == null || id == null) {
                throw new IllegalArgumentException("a graph handle cannot hold a null key or id but was given "
                        + key + " = " + id);
            }
            int i = lookup.size();
            keys[i] = key;
            ids[i] = id;
            lookup.put(key, i);
        });
        return new GraphHandle(keys, ids, lookup, null);
    }

    /**
     * The id of job {@code key}. For a job whose unique key a live job held when it was submitted, that job's id.
     *
     * @throws IllegalArgumentException when the graph had no job {@code key}
     */
    public JobId id(String key) {
        Integer index = lookup.get(key);
        if (index == null) {
            throw new IllegalArgumentException("the graph has no job with key " + JobGraph.quote(key));
        }
        return ids[positionOf == null ? index : positionOf[index]];
    }

    /** Every id by key, in the graph's order (made on the first call, then kept). */
    public Map<String, JobId> ids() {
        Map<String, JobId> map = view;
        if (map == null) {
            LinkedHashMap<String, JobId> built = new LinkedHashMap<>(keys.length * 2);
            for (int i = 0; i < keys.length; i++) {
                built.put(keys[i], ids[i]);
            }
            map = Collections.unmodifiableMap(built);
            view = map;
        }
        return map;
    }

    public int size() {
        return ids.length;
    }

    @Override
    public String toString() {
        return "GraphHandle{" + ids.length + " jobs}";
    }
}
