package dev.sluice;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {

    @Test
    void defaultsAreThreeAttemptsAndExponentialBackoffCappedAtSixtySeconds() {
        RetryPolicy policy = RetryPolicy.defaults();
        assertThat(policy.maxAttempts()).isEqualTo(3);
        for (int attempt = 1; attempt <= 12; attempt++) {
            long base = Math.min(1000L << (attempt - 1), 60_000L);
            long wait = policy.backoffAfter(attempt).toMillis();
            // jitter 0.5 spreads each wait over [0.5, 1.5] x base, and never past the cap
            assertThat(wait).as("attempt %d", attempt).isBetween(base / 2, Math.min(base * 3 / 2, 60_000L));
        }
    }

    @Test
    void withoutJitterTheBackoffIsExact() {
        RetryPolicy policy = RetryPolicy.builder().jitter(0).initialInterval(Duration.ofMillis(100))
                .maxInterval(Duration.ofMillis(350)).build();
        assertThat(policy.backoffAfter(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoffAfter(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.backoffAfter(3)).isEqualTo(Duration.ofMillis(350));
    }

    @Test
    void nonRetryableClassesAndCausesAreRecognised() {
        RetryPolicy policy = RetryPolicy.builder().nonRetryable(IllegalStateException.class).build();
        assertThat(policy.isRetryable(new IOException("flaky"))).isTrue();
        assertThat(policy.isRetryable(new IllegalStateException("bad"))).isFalse();
        assertThat(policy.isRetryable(new RuntimeException(new IllegalStateException("bad")))).isFalse();
        assertThat(policy.isRetryable(new NonRetryableException("never"))).isFalse();
    }

    @Test
    void badValuesAreRejectedNamingFieldAndValue() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build())
                .hasMessageContaining("maxAttempts").hasMessageContaining("0");
        assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5).build())
                .hasMessageContaining("multiplier").hasMessageContaining("0.5");
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(1.5).build())
                .hasMessageContaining("jitter").hasMessageContaining("1.5");
        assertThatThrownBy(() -> RetryPolicy.builder().initialInterval(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("initialInterval").hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> RetryPolicy.builder().initialInterval(Duration.ofSeconds(90)).build())
                .hasMessageContaining("maxInterval");
    }
}
