package dev.sluice.resilience;

import dev.sluice.Sluice;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BreakerConfigTest {

    @Test
    void seedExampleOpensAfterFiveFailuresWithThirtySecondSlowCallsAndSixtySecondWait() {
        CircuitBreakerConfig c = BreakerConfig.custom()
                .consecutiveFailures(5)
                .slowCall(Duration.ofSeconds(30), 100)
                .waitInOpenState(Duration.ofSeconds(60))
                .build().circuitBreakerConfig();

        assertThat(c.getSlidingWindowSize()).isEqualTo(5);
        assertThat(c.getMinimumNumberOfCalls()).isEqualTo(5);
        assertThat(c.getFailureRateThreshold()).isEqualTo(100f);
        assertThat(c.getSlowCallDurationThreshold()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(60_000L);
    }

    @Test
    void badValuesAreRejectedNamingTheFieldAndValue() {
        assertThatThrownBy(() -> BreakerConfig.custom().failureRateThreshold(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failureRateThreshold")
                .hasMessageContaining("0.0");
        assertThatThrownBy(() -> BreakerConfig.custom().failureRateThreshold(101).build())
                .hasMessageContaining("failureRateThreshold").hasMessageContaining("101");
        assertThatThrownBy(() -> BreakerConfig.custom().slowCall(Duration.ofSeconds(1), -5).build())
                .hasMessageContaining("slowCallRateThreshold").hasMessageContaining("-5");
        assertThatThrownBy(() -> BreakerConfig.custom().waitInOpenState(Duration.ZERO).build())
                .hasMessageContaining("waitInOpenState").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> BreakerConfig.custom().countWindow(0).build())
                .hasMessageContaining("countWindow").hasMessageContaining("0");
        assertThatThrownBy(() -> BreakerConfig.custom().halfOpenCalls(-1).build())
                .hasMessageContaining("halfOpenCalls").hasMessageContaining("-1");
        assertThatThrownBy(() -> BreakerConfig.custom().deferralDelay(Duration.ofMillis(-1)).build())
                .hasMessageContaining("deferralDelay");
    }

    @Test
    void rateLimitRejectsZeroStartsAndEmptyPeriods() {
        assertThatThrownBy(() -> RateLimit.of(0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("starts").hasMessageContaining("0");
        assertThatThrownBy(() -> RateLimit.of(5, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("period").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> RateLimit.of(5, Duration.ofSeconds(-1)))
                .hasMessageContaining("period");
        assertThat(RateLimit.of(30, Duration.ofMillis(1000))).isEqualTo(RateLimit.perSecond(30));
    }

    @Test
    void guardsOfUnknownTypesOrUnservedQueuesAreRejectedAtBuild() {
        assertThatThrownBy(() -> Sluice.builder().handler("a", String.class, (p, c) -> p)
                .jobTypeBreaker("b", BreakerConfig.defaults()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'b'");
        assertThatThrownBy(() -> Sluice.builder().handler("a", String.class, (p, c) -> p)
                .queueRateLimit("reports", RateLimit.perSecond(3)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'reports'");
        assertThatThrownBy(() -> Sluice.builder().handler("a", String.class, (p, c) -> p)
                .jobTypeRateLimit("a", RateLimit.perSecond(3)).jobTypeRateLimit("a", RateLimit.perSecond(4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("configured twice");
    }
}
