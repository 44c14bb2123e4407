package dev.sluice.internal.graph;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.graph.GraphHandle;
import dev.sluice.graph.GraphStatus;
import dev.sluice.store.JobStore;
import dev.sluice.store.StoredJob;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** {@code Sluice.graphStatus}: the graph's jobs read from the store in chunks, counted per state. */
public final class GraphStatusReader {

    private GraphStatusReader() {
    }

    public static GraphStatus read(JobStore store, GraphHandle graph) {
        Map<JobId, StoredJob> found = JobLookup.findAll(store, new ArrayList<>(graph.ids().values()));
        Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
        List<GraphStatus.FailedJob> failed = new ArrayList<>();
        int forgotten = 0;
        for (Map.Entry<String, JobId> node : graph.ids().entrySet()) {
            StoredJob job = found.get(node.getValue());
            if (job == null) {
                forgotten++;
                continue;
            }
            counts.merge(job.state(), 1, Integer::sum);
            if (job.state() == JobState.DEAD || job.state() == JobState.CANCELLED) {
                failed.add(new GraphStatus.FailedJob(node.getKey(), job.id(), job.state(), job.lastError()));
            }
        }
        return new GraphStatus(graph.size(), counts, forgotten, failed);
    }
}
