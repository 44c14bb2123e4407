package dev.sluice.dashboard.internal;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.Sluice;
import dev.sluice.dashboard.internal.ConsoleViews.ActionRow;
import dev.sluice.dashboard.internal.ConsoleViews.AlertRow;
import dev.sluice.dashboard.internal.ConsoleViews.ClusterPage;
import dev.sluice.dashboard.internal.ConsoleViews.HealthView;
import dev.sluice.dashboard.internal.ConsoleViews.HistoryRow;
import dev.sluice.dashboard.internal.ConsoleViews.JobDetail;
import dev.sluice.dashboard.internal.ConsoleViews.JobPage;
import dev.sluice.dashboard.internal.ConsoleViews.JobRow;
import dev.sluice.dashboard.internal.ConsoleViews.NodeRow;
import dev.sluice.dashboard.internal.ConsoleViews.NodesView;
import dev.sluice.dashboard.internal.ConsoleViews.Overview;
import dev.sluice.dashboard.internal.ConsoleViews.PurgeView;
import dev.sluice.dashboard.internal.ConsoleViews.QueueRow;
import dev.sluice.dashboard.internal.ConsoleViews.RecurringRow;
import dev.sluice.ops.ClusterView;
import dev.sluice.ops.JobSummary;
import dev.sluice.ops.SluiceAdmin;
import dev.sluice.store.JobStore;
import dev.sluice.store.QueueStats;
import dev.sluice.store.StoreStats;
import dev.sluice.store.StoredJob;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The console's backend over a {@link Sluice} engine: jobs, job control, queues, the cluster view, purges and
 * flushes through its {@link SluiceAdmin}; health, alerts and scaling through the engine; payload and result
 * previews, checkpoints and the dependency graph through its store's query calls.
 */
public final class SluiceConsoleBackend implements ConsoleBackend {

    static final String NO_HISTORY = "No state transitions are recorded for this job: the audit trail is off "
            + "(OperationsConfig.auditTrail), was off when it changed, or its latest entries are still on their way "
            + "(they are written in batches shortly after each change).";

    private final Sluice sluice;
    private final SluiceAdmin admin;
    private final JobStore store;
    private final Clock clock;
    private final DependencyGraphReader graphs;
    private final BatchRuns batchRuns;
    private final Instant startedAt;

    public SluiceConsoleBackend(Sluice sluice, Clock clock) {
        this.sluice = sluice;
        this.admin = sluice.admin();
        this.store = sluice.store();
        this.clock = clock;
        this.graphs = new DependencyGraphReader(store);
        this.batchRuns = new BatchRuns(store);
        this.startedAt = clock.instant();
    }

    @Override
    public JobPage jobs(JobState state, String queue, String type, JobId after, int limit) {
        // One more than asked tells whether a next page exists, so that the last page never links to an empty one.
        List<JobSummary> found = admin.jobs(new JobQuery(state, queue, type, after, limit + 1)).jobs();
        List<JobRow> rows = found.stream().limit(limit).map(ConsoleViews::row).toList();
        String next = found.size() > limit ? rows.get(rows.size() - 1).id() : null;
        return new JobPage(rows, next);
    }

    @Override
    public Optional<JobDetail> job(JobId id) {
        Optional<dev.sluice.ops.JobDetail> detail = admin.job(id);
        // The admin view has no payload, result or timeout: those come from the stored job.
        Optional<StoredJob> stored = detail.isEmpty() ? Optional.empty() : store.find(id);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        dev.sluice.ops.JobDetail d = detail.get();
        StoredJob job = stored.get();
        List<HistoryRow> history = d.history().stream().map(ConsoleViews::history).toList();
        return Optional.of(new JobDetail(ConsoleViews.row(d.job()), d.job().uniqueKey(), job.timeoutMillis(),
                Previews.of(job.payload()), Previews.of(job.result()), d.job().leaseOwner(),
                ConsoleViews.time(d.leaseExpiresAt()), d.fencingToken(), d.cancelRequested(), history,
                history.isEmpty() ? NO_HISTORY : null, graphs.around(id)));
    }

    @Override
    public Overview overview() {
        StoreStats stats = sluice.stats();
        Map<JobState, Long> totals = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            totals.put(state, stats.total(state));
        }
        return new Overview(sluice.nodeId(), sluice.jobsInFlight(), health(), totals,
                queues(stats, admin.cluster()), sluice.activeAlerts().size(),
                ConsoleViews.scaling(sluice.scalingAdvice()), ConsoleViews.time(stats.takenAt()));
    }

    @Override
    public List<QueueRow> queues() {
        return queues(sluice.stats(), admin.cluster());
    }

    /**
     * Counts from the store now; rates from the cluster view, whose counts come from the engine's latest stats
     * snapshot and may be a few seconds old (a drained queue would still look full).
     */
    private List<QueueRow> queues(StoreStats stats, ClusterView cluster) {
        Instant now = clock.instant();
        Map<String, ClusterView.Queue> rates = cluster.queues().stream()
                .collect(Collectors.toMap(ClusterView.Queue::queue, Function.identity(), (a, b) -> a));
        return stats.queues().values().stream()
                .sorted(Comparator.comparing(QueueStats::queue))
                .map(q -> ConsoleViews.queue(q, rates.get(q.queue()), now))
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
        ClusterView cluster = admin.cluster();
        List<NodeRow> rows = new ArrayList<>();
        String self = sluice.nodeId();
        boolean selfListed = false;
        for (ClusterView.Node node : cluster.nodes()) {
            rows.add(ConsoleViews.node(node, self));
            selfListed |= node.nodeId().equals(self);
        }
        String note = null;
        if (!selfListed) {
            // An engine that was never started sends no heartbeat: show at least the node serving this console.
            boolean leads = cluster.leader() != null && cluster.leader().nodeId().equals(self);
            rows.add(0, new NodeRow(self, "this JVM", ConsoleViews.time(startedAt), null, -1,
                    sluice.jobsInFlight(), true, leads));
            note = rows.size() == 1 ? "The store's node registry lists no nodes (this engine was not started, so it "
                    + "sends no heartbeat); this is the node serving the dashboard." : null;
        }
        return new NodesView(rows, ConsoleViews.leader(cluster.leader()), note);
    }

    @Override
    public ClusterPage cluster() {
        ClusterView cluster = admin.cluster();
        return new ClusterPage(ConsoleViews.time(cluster.at()), ConsoleViews.leader(cluster.leader()),
                sluice.nodeId(), admin.leads(), queues(sluice.stats(), cluster));
    }

    @Override
    public List<RecurringRow> recurring() {
        return admin.recurringJobs().stream().map(ConsoleViews::recurring).toList();
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
    public List<ActionRow> retry(List<JobId> ids) {
        return admin.retry(ids).stream().map(ConsoleViews::action).toList();
    }

    @Override
    public List<ActionRow> cancel(List<JobId> ids) {
        return admin.cancel(ids).stream().map(ConsoleViews::action).toList();
    }

    @Override
    public List<ActionRow> reprioritize(List<JobId> ids, Priority priority) {
        return admin.reprioritize(ids, priority).stream().map(ConsoleViews::action).toList();
    }

    @Override
    public void pauseQueue(String queue) {
        admin.pauseQueue(queue);
    }

    @Override
    public void resumeQueue(String queue) {
        admin.resumeQueue(queue);
    }

    @Override
    public int drainQueue(String queue) {
        return admin.drainQueue(queue);
    }

    @Override
    public PurgeView purgeNow() {
        return ConsoleViews.purge(admin.purgeNow());
    }

    @Override
    public boolean flush(Duration timeout) {
        return admin.flush(timeout);
    }
}
