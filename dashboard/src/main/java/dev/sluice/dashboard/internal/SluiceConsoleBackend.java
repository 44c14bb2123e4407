package dev.sluice.dashboard.internal;

import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobQuery;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.Sluice;
import dev.sluice.dashboard.internal.ConsoleViews.AlertRow;
import dev.sluice.dashboard.internal.ConsoleViews.HealthView;
import dev.sluice.dashboard.internal.ConsoleViews.HistoryRow;
import dev.sluice.dashboard.internal.ConsoleViews.JobDetail;
import dev.sluice.dashboard.internal.ConsoleViews.JobPage;
import dev.sluice.dashboard.internal.ConsoleViews.JobRow;
import dev.sluice.dashboard.internal.ConsoleViews.NodeRow;
import dev.sluice.dashboard.internal.ConsoleViews.NodesView;
import dev.sluice.dashboard.internal.ConsoleViews.Overview;
import dev.sluice.dashboard.internal.ConsoleViews.QueueRow;
import dev.sluice.store.JobStore;
import dev.sluice.store.NodeInfo;
import dev.sluice.store.StoreStats;
import dev.sluice.store.StoredJob;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's backend over a {@link Sluice} engine: lists, controls and health through the engine's API; the
 * payload, checkpoints, dependency edges, audit trail and node registry through its store's query calls.
 */
public final class SluiceConsoleBackend implements ConsoleBackend {

    private final Sluice sluice;
    private final JobStore store;
    private final Clock clock;
    private final DependencyGraphReader graphs;
    private final BatchRuns batchRuns;
    private final Instant startedAt;

    public SluiceConsoleBackend(Sluice sluice, Clock clock) {
        this.sluice = sluice;
        this.store = sluice.store();
        this.clock = clock;
        this.graphs = new DependencyGraphReader(store);
        this.batchRuns = new BatchRuns(store);
        this.startedAt = clock.instant();
    }

    @Override
    public JobPage jobs(JobState state, String queue, String type, JobId after, int limit) {
        // One more than asked tells whether a next page exists without a second call.
        List<JobInfo> found = sluice.list(new JobQuery(state, queue, type, after, limit + 1));
        List<JobRow> rows = found.stream().limit(limit).map(ConsoleViews::row).toList();
        String next = found.size() > limit ? rows.get(rows.size() - 1).id() : null;
        return new JobPage(rows, next);
    }

    @Override
    public Optional<JobDetail> job(JobId id) {
        Optional<StoredJob> found = store.find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredJob job = found.get();
        List<HistoryRow> history = store.history(id).stream().map(ConsoleViews::history).toList();
        String historyNote = history.isEmpty() ? "No state transitions were recorded for this job." : null;
        return Optional.of(new JobDetail(ConsoleViews.row(job), job.uniqueKey(), job.timeoutMillis(),
                Previews.of(job.payload()), Previews.of(job.result()), job.leaseOwner(),
                ConsoleViews.time(job.leaseExpiresAt()), job.cancelRequested(), history, historyNote,
                graphs.around(id)));
    }

    @Override
    public Overview overview() {
        StoreStats stats = sluice.stats();
        Map<JobState, Long> totals = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            totals.put(state, stats.total(state));
        }
        return new Overview(sluice.nodeId(), sluice.jobsInFlight(), health(), totals, queues(stats),
                sluice.activeAlerts().size(), ConsoleViews.scaling(sluice.scalingAdvice()),
                ConsoleViews.time(stats.takenAt()));
    }

    @Override
    public List<QueueRow> queues() {
        return queues(sluice.stats());
    }

    private List<QueueRow> queues(StoreStats stats) {
        Instant now = clock.instant();
        return stats.queues().values().stream()
                .sorted(Comparator.comparing(q -> q.queue()))
                .map(q -> ConsoleViews.queue(q, now))
                .toList();
    }

    @Override
    public HealthView health() {
        return ConsoleViews.health(sluice.health());
    }

    @Override
    public List<AlertRow> alerts() {
        return sluice.activeAlerts().stream().map(ConsoleViews::alert).toList();
    }

    @Override
    public NodesView nodes() {
        List<NodeRow> rows = new ArrayList<>();
        String self = sluice.nodeId();
        boolean selfListed = false;
        for (NodeInfo node : store.nodes()) {
            rows.add(ConsoleViews.node(node, self));
            selfListed |= node.nodeId().equals(self);
        }
        String note = null;
        if (!selfListed) {
            // The engine does not heartbeat into the registry: show at least the node serving this console.
            rows.add(0, new NodeRow(self, "this JVM", ConsoleViews.time(startedAt), ConsoleViews.time(clock.instant()),
                    -1, sluice.jobsInFlight(), true));
            note = rows.size() == 1 ? "The store's node registry lists no nodes; this is the node serving the "
                    + "dashboard (workers unknown, running = jobs it holds)." : null;
        }
        return new NodesView(rows, note);
    }

    @Override
    public List<JobRow> batches() {
        return batchRuns.latest();
    }

    @Override
    public StoreStats stats() {
        return sluice.stats();
    }

    @Override
    public boolean cancel(JobId id) {
        return sluice.cancel(id);
    }

    @Override
    public boolean retry(JobId id) {
        return sluice.retry(id);
    }

    @Override
    public boolean reprioritize(JobId id, Priority priority) {
        return sluice.reprioritize(id, priority);
    }

    @Override
    public void pauseQueue(String queue) {
        sluice.pauseQueue(queue);
    }

    @Override
    public void resumeQueue(String queue) {
        sluice.resumeQueue(queue);
    }
}
