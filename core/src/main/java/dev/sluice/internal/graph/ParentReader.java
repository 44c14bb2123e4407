package dev.sluice.internal.graph;

import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobState;
import dev.sluice.PayloadCodec;
import dev.sluice.graph.FailurePolicy;
import dev.sluice.store.Dependency;
import dev.sluice.store.JobStore;
import dev.sluice.store.StoredJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code JobContext.parents()}: a job's edges ({@link JobStore#parentsOf}), then its parents ({@link JobStore#findAll},
 * in chunks), as {@link JobInfo}s in the edges' order. A job without parents costs the one edges call. A parent
 * the store has dropped (a finished job past its retention) is left out, with a warning: its state is unknown.
 */
public final class ParentReader {

    private static final Logger log = LoggerFactory.getLogger(ParentReader.class);

    private ParentReader() {
    }

    public static List<JobInfo> read(JobStore store, PayloadCodec codec, JobId child) {
        List<Dependency> edges = store.parentsOf(child);
        if (edges.isEmpty()) {
            return List.of();
        }
        List<JobId> ids = new ArrayList<>(edges.size());
        for (Dependency edge : edges) {
            ids.add(edge.parent());
        }
        Map<JobId, StoredJob> found = JobLookup.findAll(store, ids);
        List<JobInfo> parents = new ArrayList<>(edges.size());
        int dropped = 0;
        for (Dependency edge : edges) {
            StoredJob j = found.get(edge.parent());
            if (j == null) {
                dropped++;
                continue;
            }
            boolean failed = j.state() == JobState.DEAD || j.state() == JobState.CANCELLED;
            if (failed && edge.onFailure() == FailurePolicy.IGNORE) {
                continue;
            }
            parents.add(new JobInfo(j.id(), j.type(), j.queue(), j.priority(), j.state(), j.attempts(),
                    j.maxAttempts(), j.createdAt(), j.runAt(), j.startedAt(), j.finishedAt(), j.lastError(),
                    j.result(), j.progress(), j.tenant(), j.uniqueKey(), codec));
        }
        if (dropped > 0) {
            log.warn("job {}: {} of its {} parents are no longer held by the store (finished, then dropped by its"
                    + " retention of finished jobs); parents() leaves them out", child, dropped, edges.size());
        }
        return List.copyOf(parents);
    }
}
