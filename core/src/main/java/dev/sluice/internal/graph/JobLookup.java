package dev.sluice.internal.graph;

import dev.sluice.JobId;
import dev.sluice.store.JobStore;
import dev.sluice.store.StoredJob;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads many jobs by id in store calls of at most {@value #CHUNK} ids, so no single query grows with a graph. */
final class JobLookup {

    static final int CHUNK = 1_000;

    private JobLookup() {
    }

    /** The jobs among {@code ids} that the store holds, by id. */
    static Map<JobId, StoredJob> findAll(JobStore store, List<JobId> ids) {
        Map<JobId, StoredJob> found = new HashMap<>(Math.max(16, ids.size() * 2));
        for (int from = 0; from < ids.size(); from += CHUNK) {
            for (StoredJob job : store.findAll(ids.subList(from, Math.min(ids.size(), from + CHUNK)))) {
                found.put(job.id(), job);
            }
        }
        return found;
    }
}
