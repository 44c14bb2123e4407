package dev.sluice.dashboard.internal;

import dev.sluice.JobInfo;
import dev.sluice.JobState;
import dev.sluice.observe.Alert;
import dev.sluice.observe.HealthCheck;
import dev.sluice.observe.HealthReport;
import dev.sluice.observe.ScalingAdvice;
import dev.sluice.store.HistoryEntry;
import dev.sluice.store.NodeInfo;
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

    /** Everything the job page shows. */
    public record JobDetail(JobRow job, String uniqueKey, long timeoutMillis, Preview payload, Preview result,
                            String leaseOwner, String leaseExpiresAt, boolean cancelRequested,
                            List<HistoryRow> history, String historyNote, GraphView graph) {
    }

    public record QueueRow(String name, Map<JobState, Long> counts, boolean paused, Long oldestReadyAgeSeconds) {
    }

    public record NodeRow(String nodeId, String host, String startedAt, String lastSeen, int workers, int running,
                          boolean self) {
    }

    public record NodesView(List<NodeRow> nodes, String note) {
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

    static JobRow row(JobInfo job) {
        return new JobRow(job.id().toString(), job.type(), job.queue(), job.priority().name(), job.state().name(),
                job.attempts(), job.maxAttempts(), time(job.createdAt()), time(job.runAt().orElse(null)),
                time(job.startedAt().orElse(null)), time(job.finishedAt().orElse(null)),
                job.lastError().orElse(null), job.progress(), job.tenant().orElse(null));
    }

    static JobRow row(StoredJob job) {
        return new JobRow(job.id().toString(), job.type(), job.queue(), job.priority().name(), job.state().name(),
                job.attempts(), job.maxAttempts(), time(job.createdAt()), time(job.runAt()), time(job.startedAt()),
                time(job.finishedAt()), job.lastError(), job.progress(), job.tenant());
    }

    static HistoryRow history(HistoryEntry entry) {
        return new HistoryRow(time(entry.at()), entry.from() == null ? null : entry.from().name(), entry.to().name(),
                entry.attempt(), entry.node(), entry.error());
    }

    static QueueRow queue(QueueStats stats, Instant now) {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            counts.put(state, stats.count(state));
        }
        Long age = stats.oldestReadyAt() == null ? null
                : Math.max(0, Duration.between(stats.oldestReadyAt(), now).toSeconds());
        return new QueueRow(stats.queue(), counts, stats.paused(), age);
    }

    static NodeRow node(NodeInfo node, String selfId) {
        return new NodeRow(node.nodeId(), node.host(), time(node.startedAt()), time(node.lastSeen()), node.workers(),
                node.running(), node.nodeId().equals(selfId));
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
