package dev.sluice.dashboard.internal;

import dev.sluice.JobState;
import dev.sluice.observe.Alert;
import dev.sluice.observe.HealthCheck;
import dev.sluice.observe.HealthReport;
import dev.sluice.observe.ScalingAdvice;
import dev.sluice.ops.ClusterView;
import dev.sluice.ops.JobActionResult;
import dev.sluice.ops.JobDetail.StateChange;
import dev.sluice.ops.JobSummary;
import dev.sluice.ops.PurgeReport;
import dev.sluice.ops.RecurringView;
import dev.sluice.store.QueueStats;
import dev.sluice.store.StoredJob;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the JSON API returns: plain records that Jackson writes as they are (times as ISO-8601 text, states and
 * priorities as names), and the mapping from the engine's types. Every string in them may be attacker data
 * (payloads, errors, types): the UI shows them with textContent only.
 */
public final class ConsoleViews {

    private ConsoleViews() {
    }

    /** A job in a list. */
    public record JobRow(String id, String type, String queue, String priority, String state, int attempts,
                         int maxAttempts, String createdAt, String runAt, String startedAt, String finishedAt,
                         String lastError, double progress, String tenant) {
    }

    /** A page of jobs and the id to ask for the next page after, or null on the last page. */
    public record JobPage(List<JobRow> jobs, String nextAfter) {
    }

    /** The first bytes of a payload or result, as text when they are UTF-8, else as hex. */
    public record Preview(int bytes, String encoding, String text, boolean truncated) {
    }

    /** One transition of the audit trail. */
    public record HistoryRow(String at, String from, String to, int attempt, String node, String error) {
    }

    /** A job of a dependency graph; {@code focus} marks the job the graph was drawn around. */
    public record GraphNode(String id, String type, String state, boolean focus) {
    }

    /** An edge: {@code child} waits for {@code parent}. */
    public record GraphEdge(String parent, String child, String onFailure) {
    }

    /** The jobs linked to one job by dependencies, up to a bound ({@code truncated} when it was reached). */
    public record GraphView(List<GraphNode> nodes, List<GraphEdge> edges, boolean truncated, String note) {
    }

    /** Everything the job page shows; {@code fencingToken} is 0 when it was never claimed. */
    public record JobDetail(JobRow job, String uniqueKey, long timeoutMillis, Preview payload, Preview result,
                            String leaseOwner, String leaseExpiresAt, long fencingToken, boolean cancelRequested,
                            List<HistoryRow> history, String historyNote, GraphView graph) {
    }

    /**
     * A queue: counts per state from the store now, depth (jobs not started), and cluster-wide rates over the last
     * minute (0 until the engine has two samples).
     */
    public record QueueRow(String name, Map<JobState, Long> counts, boolean paused, Long oldestReadyAgeSeconds,
                           long depth, double submittedPerSecond, double finishedPerSecond) {
    }

    /** A node; {@code lastSeen} is its latest heartbeat, {@code workers} -1 when unknown. */
    public record NodeRow(String nodeId, String host, String startedAt, String lastSeen, int workers, int running,
                          boolean self, boolean leader) {
    }

    /** The maintenance lease: who holds it, its fencing token and when it lapses unless renewed. */
    public record LeaderView(String nodeId, long fencingToken, String expiresAt) {
    }

    /** The nodes, the maintenance leader (null when none leads) and a note when the registry is empty. */
    public record NodesView(List<NodeRow> nodes, LeaderView leader, String note) {
    }

    /** The operations page: leader, whether the node serving the dashboard leads, queues with depth and rates. */
    public record ClusterPage(String takenAt, LeaderView leader, String thisNode, boolean thisNodeLeads,
                              List<QueueRow> queues) {
    }

    /** A recurring schedule; {@code zone} is null for an interval, times are null when not reached. */
    public record RecurringRow(String id, String schedule, String zone, String type, String misfire,
                               boolean noOverlap, String lastFire, String nextFire) {
    }

    /** What an action did to one job: DONE, REQUESTED (running: cancel asked), REFUSED or NOT_FOUND. */
    public record ActionRow(String id, String outcome, String state) {
    }

    /** What a purge deleted. */
    public record PurgeView(int finished, int dead, int total) {
    }

    public record AlertRow(String rule, String subject, String severity, String message, Map<String, Double> values,
                           String startedAt) {
    }

    public record CheckRow(String name, boolean healthy, double value, double threshold, int weight, String detail) {
    }

    public record HealthView(String status, int score, List<CheckRow> checks, String takenAt) {
    }

    public record ScalingView(String direction, int desiredWorkers, int currentWorkers, String reason) {
    }

    /** The overview's numbers: health, totals per state, queues, alerts, scaling, and who is looking. */
    public record Overview(String nodeId, int jobsInFlight, HealthView health, Map<JobState, Long> totals,
                           List<QueueRow> queues, int activeAlerts, ScalingView scaling, String takenAt) {
    }

    static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static JobRow row(JobSummary job) {
        return new JobRow(job.id(), job.type(), job.queue(), job.priority().name(), job.state().name(),
                job.attempts(), job.maxAttempts(), time(job.createdAt()), time(job.runAt()), time(job.startedAt()),
                time(job.finishedAt()), job.lastError(), job.progress(), job.tenant());
    }

    static JobRow row(StoredJob job) {
        return new JobRow(job.id().toString(), job.type(), job.queue(), job.priority().name(), job.state().name(),
                job.attempts(), job.maxAttempts(), time(job.createdAt()), time(job.runAt()), time(job.startedAt()),
                time(job.finishedAt()), job.lastError(), job.progress(), job.tenant());
    }

    static HistoryRow history(StateChange change) {
        return new HistoryRow(time(change.at()), change.from() == null ? null : change.from().name(),
                change.to().name(), change.attempt(), change.node(), change.error());
    }

    /** A queue from the store's counts now, with the rates of the cluster view when it has the queue. */
    static QueueRow queue(QueueStats stats, ClusterView.Queue rates, Instant now) {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            counts.put(state, stats.count(state));
        }
        Long age = stats.oldestReadyAt() == null ? null
                : Math.max(0, Duration.between(stats.oldestReadyAt(), now).toSeconds());
        long depth = stats.count(JobState.WAITING) + stats.count(JobState.SCHEDULED) + stats.count(JobState.READY);
        return new QueueRow(stats.queue(), counts, stats.paused(), age, depth,
                rates == null ? 0 : finite(rates.submittedPerSecond()),
                rates == null ? 0 : finite(rates.finishedPerSecond()));
    }

    static NodeRow node(ClusterView.Node node, String selfId) {
        return new NodeRow(node.nodeId(), node.host(), time(node.startedAt()), time(node.lastSeen()), node.workers(),
                node.running(), node.nodeId().equals(selfId), node.leader());
    }

    static LeaderView leader(ClusterView.Leader leader) {
        return leader == null ? null
                : new LeaderView(leader.nodeId(), leader.fencingToken(), time(leader.expiresAt()));
    }

    static RecurringRow recurring(RecurringView view) {
        return new RecurringRow(view.id(), view.schedule(), view.zone(), view.type(), view.misfire(),
                view.noOverlap(), time(view.lastFire()), time(view.nextFire()));
    }

    static ActionRow action(JobActionResult result) {
        return new ActionRow(result.id(), result.outcome().name(),
                result.state() == null ? null : result.state().name());
    }

    static PurgeView purge(PurgeReport report) {
        return new PurgeView(report.finished(), report.dead(), report.total());
    }

    static AlertRow alert(Alert alert) {
        return new AlertRow(alert.rule(), alert.subject(), alert.severity().name(), alert.message(),
                new LinkedHashMap<>(alert.values()), time(alert.startedAt()));
    }

    static HealthView health(HealthReport report) {
        List<CheckRow> checks = report.checks().stream().map(ConsoleViews::check).toList();
        return new HealthView(report.status().name(), report.score(), checks, time(report.takenAt()));
    }

    private static CheckRow check(HealthCheck c) {
        return new CheckRow(c.name(), c.healthy(), finite(c.value()), finite(c.threshold()), c.weight(), c.detail());
    }

    static ScalingView scaling(ScalingAdvice advice) {
        return advice == null ? null : new ScalingView(advice.direction().name(), advice.desiredWorkers(),
                advice.currentWorkers(), advice.reason());
    }

    /** JSON has no NaN or infinity. */
    private static double finite(double value) {
        return Double.isFinite(value) ? value : -1;
    }
}
