package dev.sluice.resilience;

import dev.sluice.Sluice;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BreakerStateGaugeTest {

    @Test
    void gaugeShowsTheDocumentedCodeOfEachState() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Sluice sluice = Sluice.builder()
                .meterRegistry(registry)
                .handler("pricing", String.class, (sku, ctx) -> sku)
                .jobTypeBreaker("pricing", BreakerConfig.defaults())
                .build()) {
            CircuitBreaker breaker = sluice.jobTypeBreaker("pricing").orElseThrow();
            Gauge gauge = registry.get("sluice.breaker.state").tag("type", "pricing").gauge();

            // 0 closed, 1 open, 2 half-open, 3 disabled, 4 forced open, 5 metrics only (README, Metrics)
            assertThat(gauge.value()).isEqualTo(0);
            breaker.transitionToOpenState();
            assertThat(gauge.value()).isEqualTo(1);
            breaker.transitionToHalfOpenState();
            assertThat(gauge.value()).isEqualTo(2);
            breaker.transitionToDisabledState();
            assertThat(gauge.value()).isEqualTo(3);
            breaker.transitionToForcedOpenState();
            assertThat(gauge.value()).isEqualTo(4);
            breaker.transitionToMetricsOnlyState();
            assertThat(gauge.value()).isEqualTo(5);
        }
    }
}
