package dev.sluice.graph;

import dev.sluice.JobId;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The ids a submitted {@link JobGraph}'s jobs were stored under, by key, in the graph's (topological) order. Pass
 * it to {@code Sluice.graphStatus}; keep {@link #ids()} (for example in a database) and make a handle again with
 * {@link #of} to follow the graph from another process. Immutable.
 */
public final class GraphHandle {

    private final Map<String, JobId> ids;

    private GraphHandle(Map<String, JobId> ids) {
        this.ids = ids;
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
        Map<String, JobId> copy = new LinkedHashMap<>(idsByKey.size() * 2);
        idsByKey.forEach((key, id) -> {
            if (key == null || id == null) {
                throw new IllegalArgumentException("a graph handle cannot hold a null key or id but was given "
                        + key + " = " + id);
            }
            copy.put(key, id);
        });
        return new GraphHandle(Collections.unmodifiableMap(copy));
    }

    /** The handle of a graph just submitted: keys and ids in the graph's order, trusted to be complete. */
    static GraphHandle of(String[] keys, JobId[] ids) {
        Map<String, JobId> map = new LinkedHashMap<>(keys.length * 2);
        for (int i = 0; i < keys.length; i++) {
            map.put(keys[i], ids[i]);
        }
        return new GraphHandle(Collections.unmodifiableMap(map));
    }

    /**
     * The id of job {@code key}. For a job whose unique key a live job held when it was submitted, that job's id.
     *
     * @throws IllegalArgumentException when the graph had no job {@code key}
     */
    public JobId id(String key) {
        JobId id = ids.get(key);
        if (id == null) {
            throw new IllegalArgumentException("the graph has no job with key " + JobGraph.quote(key));
        }
        return id;
    }

    /** Every id by key, in the graph's order. */
    public Map<String, JobId> ids() {
        return ids;
    }

    public int size() {
        return ids.size();
    }

    @Override
    public String toString() {
        return "GraphHandle{" + ids.size() + " jobs}";
    }
}
