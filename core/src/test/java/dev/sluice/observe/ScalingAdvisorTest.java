package dev.sluice.observe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScalingAdvisorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** Seeds' parameters: min 2, max 20, target 25 per worker, up at 1.5×, down at 0.5×, memory 80%, errors 15%. */
    @ParameterizedTest(name = "ready={0} arrive={1} done={2} busy={3}/{4} heap={5} err={6} -> {7} {8}")
    @CsvSource({
            // ready, arrival/s, completion/s, busy, current, heap, errorRate, direction, desired
            "    0,   0,   0, 0,  4, 0.3, 0.00, DOWN,  2",   // idle: down to the minimum
            "   40,   5,   5, 4,  4, 0.3, 0.00, HOLD,  4",   // 10 per worker: inside 12.5..37.5
            "  150,  10,  10, 4,  4, 0.3, 0.00, HOLD,  4",   // exactly 4*25*1.5: not above it
            "  151,  10,  10, 4,  4, 0.3, 0.00, UP,    7",   // above 4*25*1.5 = 150: ceil(151/25) = 7
            "  234,  20,  10, 4,  4, 0.3, 0.00, UP,   10",   // the seeds' example: ceil(234/25) = 10
            " 5000, 100,  50, 8,  8, 0.3, 0.00, UP,   20",   // capped at max
            "  234,  20,  10, 4,  4, 0.9, 0.00, HOLD,  4",   // heap above 80%: no scale-up
            "  234,  20,  10, 4,  4, 0.3, 0.20, HOLD,  4",   // error rate above 15%: hold
            "    0,   0,   0, 0, 10, 0.3, 0.20, HOLD, 10",   // errors hold scale-down too
            "   10,   5,   5, 6, 10, 0.3, 0.00, DOWN,  6",   // below 125, some idle: down to busy workers
            "   10,  50,   5, 6, 10, 0.3, 0.00, HOLD, 10",   // falling behind: no scale-down
            "   10,   5,   5, 10, 10, 0.3, 0.00, HOLD, 10",  // all busy: no scale-down
            "    0,   0,   0, 0,  1, 0.3, 0.00, UP,    2",   // below the minimum: raised to it
            "   30,   1,   1, 0, 30, 0.3, 0.00, DOWN,  2",   // idle and over the maximum: ceil(30/25), then the minimum
            " 2000,   1,   1, 30, 30, 0.3, 0.00, DOWN, 20",  // busy but above the maximum: kept at the maximum
    })
    void advisesFromDepthRatesAndGuards(long ready, double arrival, double completion, int busy, int current,
                                        double heap, double errorRate, ScalingAdvice.Direction direction,
                                        int desired) {
        ScalingAdvisor advisor = ScalingAdvisor.of(ScalingConfig.defaults());
        ScalingAdvice advice = advisor.advise(new ScalingInput(ready, arrival, completion, busy, current, heap,
                errorRate, T0));
        assertThat(advice.direction()).as(advice.reason()).isEqualTo(direction);
        assertThat(advice.desiredWorkers()).as(advice.reason()).isEqualTo(desired);
        assertThat(advice.currentWorkers()).isEqualTo(current);
    }

    @Test
    void reasonNamesTheNumbers() {
        ScalingAdvice advice = ScalingAdvisor.of(ScalingConfig.defaults())
                .advise(new ScalingInput(234, 20, 10, 4, 4, 0.3, 0, T0));
        assertThat(advice.reason()).contains("234 jobs", "4 workers", "target 25");
        assertThat(advice.desiredNodes(4)).isEqualTo(3);
    }

    @Test
    void adviceHoldsDuringCooldownThenMovesAgain() {
        ScalingAdvisor advisor = ScalingAdvisor.of(ScalingConfig.builder().cooldown(Duration.ofMinutes(2)).build());
        ScalingAdvice up = advisor.advise(new ScalingInput(234, 20, 10, 4, 4, 0.3, 0, T0));
        assertThat(up.desiredWorkers()).isEqualTo(10);

        // A minute later the queue is empty, but the advice keeps its target until the cooldown has passed.
        ScalingAdvice held = advisor.advise(new ScalingInput(0, 0, 0, 0, 10, 0.3, 0, T0.plusSeconds(60)));
        assertThat(held.direction()).isEqualTo(ScalingAdvice.Direction.HOLD);
        assertThat(held.desiredWorkers()).isEqualTo(10);
        assertThat(held.reason()).contains("Cooling down", "60 s left");

        ScalingAdvice down = advisor.advise(new ScalingInput(0, 0, 0, 0, 10, 0.3, 0, T0.plusSeconds(121)));
        assertThat(down.direction()).isEqualTo(ScalingAdvice.Direction.DOWN);
        assertThat(down.desiredWorkers()).isEqualTo(2);
    }

    @Test
    void configRejectsBadValuesNamingTheField() {
        assertThatThrownBy(() -> ScalingConfig.builder().minWorkers(5).maxWorkers(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWorkers");
        assertThatThrownBy(() -> ScalingConfig.builder().scaleUpFactor(1.0).build())
                .hasMessageContaining("scaleUpFactor");
        assertThatThrownBy(() -> ScalingConfig.builder().scaleDownFactor(1.0).build())
                .hasMessageContaining("scaleDownFactor");
        assertThatThrownBy(() -> ScalingConfig.builder().maxErrorRate(0).build())
                .hasMessageContaining("maxErrorRate");
        assertThatThrownBy(() -> ScalingConfig.builder().cooldown(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("cooldown");
    }
}
