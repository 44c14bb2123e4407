package dev.sluice.internal.observe;

import dev.sluice.JobState;
import dev.sluice.observe.HealthCheck;
import dev.sluice.observe.HealthConfig;
import dev.sluice.observe.HealthReport;
import dev.sluice.observe.HealthStatus;
import dev.sluice.store.QueueStats;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns an {@link Observation} into a {@link HealthReport}; the formula is documented on HealthReport. */
public final class HealthEvaluator {

    static final int STORE_WEIGHT = 100;
    static final int ERROR_RATE_WEIGHT = 25;
    static final int DEPTH_WEIGHT = 15;
    static final int AGE_WEIGHT = 15;
    static final int HEAP_WEIGHT = 15;
    static final int PROCESSING_WEIGHT = 10;
    static final int STUCK_WEIGHT = 10;
    static final int UNRUNNABLE_WEIGHT = 10;
    static final int BREAKER_WEIGHT = 10;
    static final int DOWN_BELOW = 40;

    private HealthEvaluator() {
    }

    public static HealthReport evaluate(Observation o, HealthConfig config) {
        List<HealthCheck> checks = new ArrayList<>();
        boolean reachable = o.storeError() == null;
        checks.add(new HealthCheck("store", reachable, reachable ? 1 : 0, 1, STORE_WEIGHT,
                reachable ? "store answered" : "store unreachable since " + o.storeFailingSince() + ": "
                        + o.storeError()));

        QueueStats deepest = deepestQueue(o);
        long depth = deepest == null ? 0 : deepest.count(JobState.READY);
        checks.add(new HealthCheck("queue-depth", depth <= config.maxQueueDepth(), depth, config.maxQueueDepth(),
                DEPTH_WEIGHT, deepest == null ? "no ready jobs"
                : depth + " ready jobs in queue '" + deepest.queue() + "' (the deepest)"));

        QueueStats oldest = oldestQueue(o);
        double ageSeconds = oldest == null ? 0 : ageSeconds(oldest.oldestReadyAt(), o.at());
        double maxAge = config.maxOldestReadyAge().toMillis() / 1000.0;
        checks.add(new HealthCheck("oldest-ready-age", ageSeconds <= maxAge, ageSeconds, maxAge, AGE_WEIGHT,
                oldest == null ? "no ready jobs" : String.format(Locale.ROOT,
                        "oldest ready job of queue '%s' has waited %.1f s", oldest.queue(), ageSeconds)));

        boolean judged = o.endedInWindow() >= config.minAttemptsForErrorRate();
        checks.add(new HealthCheck("error-rate", !judged || o.errorRate() <= config.maxErrorRate(), o.errorRate(),
                config.maxErrorRate(), ERROR_RATE_WEIGHT, String.format(Locale.ROOT,
                        "%d of %d attempts failed in the last %.0f s%s", o.failedInWindow(), o.endedInWindow(),
                        o.windowSeconds(), judged ? "" : " (too few to judge)")));

        double maxProcessing = config.maxAverageProcessing().toMillis() / 1000.0;
        checks.add(new HealthCheck("average-processing", o.avgProcessingSeconds() <= maxProcessing,
                o.avgProcessingSeconds(), maxProcessing, PROCESSING_WEIGHT, String.format(Locale.ROOT,
                        "attempts took %.3f s on average in the last %.0f s", o.avgProcessingSeconds(),
                        o.windowSeconds())));

        checks.add(new HealthCheck("heap", o.heapUsed() <= config.maxHeapUsed(), o.heapUsed(), config.maxHeapUsed(),
                HEAP_WEIGHT, String.format(Locale.ROOT, "%.0f%% of %d MB heap in use", o.heapUsed() * 100,
                        o.heapMaxBytes() / (1024 * 1024))));

        NodeSample n = o.node();
        checks.add(new HealthCheck("stuck-jobs", n.stuckCount() == 0, n.stuckCount(), 0, STUCK_WEIGHT,
                n.stuckCount() == 0 ? "no job has run longer than " + config.stuckAfter()
                        : n.stuckCount() + " jobs have run longer than " + config.stuckAfter() + ", longest: job "
                        + n.stuck().get(0).id() + " of type '" + n.stuck().get(0).type() + "' for "
                        + Duration.ofMillis(n.stuck().get(0).runningMillis())));
        checks.add(new HealthCheck("unrunnable-types", n.unhandledTypes().isEmpty(), n.unhandledTypes().size(), 0,
                UNRUNNABLE_WEIGHT, n.unhandledTypes().isEmpty() ? "every claimed job type has a handler"
                        : "jobs of types " + n.unhandledTypes().stream().sorted().toList() + " reached node "
                        + o.nodeId() + ", which has no handler for them"));

        checks.add(new HealthCheck("open-breakers", n.openBreakers().isEmpty(), n.openBreakers().size(), 0,
                BREAKER_WEIGHT, n.openBreakers().isEmpty() ? "no job type's circuit breaker is open"
                        : "circuit breakers open for job types " + n.openBreakers() + ": their jobs wait"));

        int score = 100;
        for (HealthCheck c : checks) {
            if (!c.healthy()) {
                score -= c.weight();
            }
        }
        score = Math.max(0, score);
        HealthStatus status = !reachable || score < DOWN_BELOW ? HealthStatus.DOWN
                : score < 100 ? HealthStatus.DEGRADED : HealthStatus.UP;
        return new HealthReport(status, score, checks, o.at());
    }

    static QueueStats deepestQueue(Observation o) {
        QueueStats best = null;
        if (o.stats() != null) {
            for (QueueStats q : o.stats().queues().values()) {
                if (q.count(JobState.READY) > 0 && (best == null || q.count(JobState.READY) > best.count(JobState.READY))) {
                    best = q;
                }
            }
        }
        return best;
    }

    static QueueStats oldestQueue(Observation o) {
        QueueStats best = null;
        if (o.stats() != null) {
            for (QueueStats q : o.stats().queues().values()) {
                if (q.oldestReadyAt() != null && (best == null || q.oldestReadyAt().isBefore(best.oldestReadyAt()))) {
                    best = q;
                }
            }
        }
        return best;
    }

    static double ageSeconds(Instant since, Instant now) {
        return since == null ? 0 : Math.max(0, Duration.between(since, now).toMillis() / 1000.0);
    }
}
