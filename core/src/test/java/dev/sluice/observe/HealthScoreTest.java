package dev.sluice.observe;

import dev.sluice.JobState;
import dev.sluice.internal.observe.HealthEvaluator;
import dev.sluice.internal.observe.NodeSample;
import dev.sluice.internal.observe.Observation;
import dev.sluice.store.QueueStats;
import dev.sluice.store.StoreStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The documented score formula, fed with synthetic observations. */
class HealthScoreTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private static Observation observation(long ready, long readyAgeSeconds, long ended, long failed,
                                           double avgSeconds, double heap, int stuck, boolean storeDown) {
        QueueStats q = new QueueStats("default", Map.of(JobState.READY, ready),
                ready == 0 ? null : NOW.minusSeconds(readyAgeSeconds), false);
        List<NodeSample.StuckJob> stuckJobs = stuck == 0 ? List.of()
                : List.of(new NodeSample.StuckJob("job-1", "t", "default", 3_600_000));
        NodeSample node = new NodeSample(0, 0, 0, 0, 0, 0, 0, 0, 8, stuckJobs, stuck, Set.of(), Set.of());
        return new Observation(NOW, new StoreStats(Map.of("default", q), NOW), storeDown ? "refused" : null,
                storeDown ? NOW : null, node, 60, ended, failed, ended == 0 ? 0 : (double) failed / ended, avgSeconds,
                1, 1, heap, 1L << 30, "node-1");
    }

    @ParameterizedTest(name = "{8}: score {9}, {10}")
    @CsvSource({
            // ready, age s, ended, failed, avg s, heap, stuck, store down, case, score, status
            "   10,   5, 100,  1,  0.1, 0.5, 0, false, all well,              100, UP",
            " 5001,   5, 100,  1,  0.1, 0.5, 0, false, deep queue,             85, DEGRADED",
            "   10, 301, 100,  1,  0.1, 0.5, 0, false, old ready job,          85, DEGRADED",
            "   10,   5, 100,  6,  0.1, 0.5, 0, false, 6% errors,              75, DEGRADED",
            "   10,   5,  10,  6,  0.1, 0.5, 0, false, too few attempts,      100, UP",
            "   10,   5, 100,  1, 10.5, 0.5, 0, false, slow,                   90, DEGRADED",
            "   10,   5, 100,  1,  0.1, 0.85, 0, false, heap,                  85, DEGRADED",
            "   10,   5, 100,  1,  0.1, 0.5, 2, false, stuck,                  90, DEGRADED",
            " 5001, 301, 100, 50, 10.5, 0.9, 0, false, many failures,          20, DOWN",
            "   10,   5, 100,  1,  0.1, 0.5, 0, true,  store down,              0, DOWN",
    })
    void scoreIsOneHundredMinusTheWeightsOfFailedChecks(long ready, long age, long ended, long failed, double avg,
                                                        double heap, int stuck, boolean storeDown, String name,
                                                        int score, HealthStatus status) {
        HealthReport report = HealthEvaluator.evaluate(
                observation(ready, age, ended, failed, avg, heap, stuck, storeDown), HealthConfig.defaults());
        assertThat(report.score()).as(name + ": " + report.failed()).isEqualTo(score);
        assertThat(report.status()).isEqualTo(status);
    }

    @Test
    void failedChecksCarryTheirNumbers() {
        HealthReport report = HealthEvaluator.evaluate(observation(5001, 5, 100, 6, 0.1, 0.5, 0, false),
                HealthConfig.defaults());
        assertThat(report.failed()).extracting(HealthCheck::name).containsExactly("queue-depth", "error-rate");
        HealthCheck errors = report.check("error-rate").orElseThrow();
        assertThat(errors.value()).isEqualTo(0.06);
        assertThat(errors.threshold()).isEqualTo(0.05);
        assertThat(errors.detail()).contains("6 of 100 attempts failed in the last 60 s");
    }
}
