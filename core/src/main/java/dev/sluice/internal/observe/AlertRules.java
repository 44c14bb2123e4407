package dev.sluice.internal.observe;

import dev.sluice.JobState;
import dev.sluice.observe.Alert;
import dev.sluice.observe.AlertSeverity;
import dev.sluice.observe.HealthConfig;
import dev.sluice.observe.ObservabilityConfig;
import dev.sluice.observe.ScalingAdvice;
import dev.sluice.store.QueueStats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in alert rules: what one {@link Observation} shows, as alerts with a severity, the numbers and a
 * recommendation. Pure; {@link AlertTracker} turns successive results into start and clear notices.
 */
public final class AlertRules {

    private AlertRules() {
    }

    public static List<Alert> evaluate(Observation o, ObservabilityConfig config, ScalingAdvice advice) {
        HealthConfig h = config.health();
        List<Alert> found = new ArrayList<>();
        if (o.storeError() != null) {
            found.add(alert(o, "store-unreachable", "store", AlertSeverity.CRITICAL,
                    "The job store cannot be reached since " + o.storeFailingSince() + " (" + o.storeError()
                            + "). No job can be claimed or completed; check the store's connection.",
                    values("failingSeconds", HealthEvaluator.ageSeconds(o.storeFailingSince(), o.at()))));
        }
        if (o.stats() != null) {
            for (QueueStats q : o.stats().queues().values()) {
                queueRules(o, config, q, found);
            }
        }
        if (o.endedInWindow() >= h.minAttemptsForErrorRate() && o.errorRate() > h.maxErrorRate()) {
            found.add(alert(o, "error-rate", "node", AlertSeverity.HIGH, String.format(Locale.ROOT,
                    "High error rate (%.1f%%): %d of %d attempts failed in the last %.0f s (limit %.1f%%). Check the"
                            + " errors of the failing jobs and the services they call.", o.errorRate() * 100,
                    o.failedInWindow(), o.endedInWindow(), o.windowSeconds(), h.maxErrorRate() * 100),
                    values("errorRate", o.errorRate(), "failed", o.failedInWindow(), "ended", o.endedInWindow())));
        }
        double maxProcessing = h.maxAverageProcessing().toMillis() / 1000.0;
        if (o.avgProcessingSeconds() > maxProcessing) {
            found.add(alert(o, "slow-processing", "node", AlertSeverity.MODERATE, String.format(Locale.ROOT,
                    "Slow processing: attempts took %.1f s on average in the last %.0f s (limit %.1f s). Look for"
                            + " slow dependencies; consider timeouts or smaller jobs.", o.avgProcessingSeconds(),
                    o.windowSeconds(), maxProcessing), values("averageSeconds", o.avgProcessingSeconds())));
        }
        if (o.heapUsed() > h.maxHeapUsed()) {
            found.add(alert(o, "heap", "node", AlertSeverity.HIGH, String.format(Locale.ROOT,
                    "High heap use (%.0f%% of %d MB, limit %.0f%%). Lower concurrency or claim-ahead, or give the"
                            + " JVM more memory.", o.heapUsed() * 100, o.heapMaxBytes() / (1024 * 1024),
                    h.maxHeapUsed() * 100), values("heapUsed", o.heapUsed())));
        }
        NodeSample n = o.node();
        if (n.stuckCount() > 0) {
            NodeSample.StuckJob longest = n.stuck().get(0);
            found.add(alert(o, "stuck-jobs", "node", AlertSeverity.HIGH, n.stuckCount()
                    + " jobs have run longer than " + h.stuckAfter() + " (longest: job " + longest.id()
                    + " of type '" + longest.type() + "', " + Duration.ofMillis(longest.runningMillis())
                    + "). Check for handlers that hang; give the type a timeout.",
                    values("stuck", n.stuckCount(), "longestSeconds", longest.runningMillis() / 1000.0)));
        }
        for (String type : n.unhandledTypes()) {
            found.add(alert(o, "unrunnable-type", type, AlertSeverity.HIGH, "Jobs of type '" + type
                    + "' reach node " + o.nodeId() + ", which has no handler for it: they fail and retry. Register"
                    + " a handler for '" + type + "', or serve its queue only on nodes that have one.",
                    values()));
        }
        for (String type : n.openBreakers()) {
            found.add(alert(o, "breaker-open", type, AlertSeverity.HIGH, "The circuit breaker of job type '" + type
                    + "' is open: its jobs wait without using attempts while other types run. Check the service"
                    + " that '" + type + "' calls; the jobs resume by themselves once a probe succeeds.",
                    values()));
        }
        if (advice != null && advice.desiredWorkers() != advice.currentWorkers()) {
            found.add(alert(o, "scaling", "node", AlertSeverity.INFO, "Scaling advice: run "
                    + advice.desiredWorkers() + " workers instead of " + advice.currentWorkers() + ". "
                    + advice.reason(), values("desiredWorkers", advice.desiredWorkers(),
                    "currentWorkers", advice.currentWorkers())));
        }
        return found;
    }

    private static void queueRules(Observation o, ObservabilityConfig config, QueueStats q, List<Alert> found) {
        HealthConfig h = config.health();
        long ready = q.count(JobState.READY);
        if (q.paused()) {
            if (ready > 0) {
                found.add(alert(o, "queue-paused", q.queue(), AlertSeverity.LOW, "Queue '" + q.queue()
                        + "' is paused with " + ready + " ready jobs. Resume it once the reason for the pause is"
                        + " gone.", values("ready", ready)));
            }
            return;
        }
        if (ready > h.maxQueueDepth()) {
            found.add(alert(o, "queue-depth", q.queue(), AlertSeverity.HIGH, "Very high number of waiting jobs ("
                    + ready + ") in queue '" + q.queue() + "', above the limit of " + h.maxQueueDepth()
                    + ". Add nodes or increase worker concurrency.", values("ready", ready)));
        } else if (ready > config.alertQueueDepth()) {
            found.add(alert(o, "queue-depth", q.queue(), AlertSeverity.MODERATE, "High number of waiting jobs ("
                    + ready + ") in queue '" + q.queue() + "'. Consider increasing worker concurrency.",
                    values("ready", ready)));
        }
        double age = HealthEvaluator.ageSeconds(q.oldestReadyAt(), o.at());
        double maxAge = h.maxOldestReadyAge().toMillis() / 1000.0;
        if (age > maxAge) {
            found.add(alert(o, "oldest-ready-age", q.queue(), AlertSeverity.MODERATE, String.format(Locale.ROOT,
                    "Jobs in queue '%s' have waited up to %.0f s to start (limit %.0f s). Consider increasing"
                            + " worker concurrency or adding nodes.", q.queue(), age, maxAge),
                    values("oldestReadySeconds", age)));
        }
    }

    private static Alert alert(Observation o, String rule, String subject, AlertSeverity severity, String message,
                               Map<String, Double> values) {
        return new Alert(rule, subject, severity, message, values, o.at(), null);
    }

    private static Map<String, Double> values(Object... pairs) {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        }
        return map;
    }
}
