package dev.sluice.resilience;

import dev.sluice.JobInfo;
import dev.sluice.JobState;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.RetryConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

@Timeout(30)
class NamedGuardsTest {

    static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void namedBreakerOpensAfterFiveFailuresAndThenRefusesCalls() throws Exception {
        AtomicInteger downstreamCalls = new AtomicInteger();
        AtomicReference<CircuitBreaker> seen = new AtomicReference<>();
        try (Sluice sluice = Sluice.builder()
                .drainTimeout(Duration.ofSeconds(1))
                .concurrency(1)
                .namedBreaker("pricing-api", BreakerConfig.custom()
                        .consecutiveFailures(5)
                        .slowCall(Duration.ofSeconds(30), 100)
                        .waitInOpenState(Duration.ofSeconds(60))
                        .build())
                .handler("price", String.class, (sku, ctx) -> {
                    CircuitBreaker breaker = ctx.breaker("pricing-api");
                    seen.set(breaker);
                    return breaker.executeCallable(() -> {
                        downstreamCalls.incrementAndGet();
                        throw new IOException("pricing api timed out for " + sku);
                    });
                }, RetryPolicy.none(), null)
                .build().start()) {
            for (int i = 0; i < 5; i++) {
                assertThat(sluice.await(sluice.submit("price", "sku-" + i), PATIENCE).state())
                        .isEqualTo(JobState.DEAD);
            }
            assertThat(seen.get().getState()).isEqualTo(CircuitBreaker.State.OPEN);

            JobInfo refused = sluice.await(sluice.submit("price", "sku-6"), PATIENCE);
            assertThat(refused.state()).isEqualTo(JobState.DEAD);
            assertThat(refused.lastError()).get(STRING).contains("CallNotPermittedException");
            assertThat(downstreamCalls).hasValue(5);
        }
    }

    @Test
    void unknownBreakerNameFailsTheAttemptNamingIt() throws Exception {
        try (Sluice sluice = Sluice.builder()
                .drainTimeout(Duration.ofSeconds(1))
                .namedBreaker("pricing-api", BreakerConfig.defaults())
                .handler("price", String.class, (sku, ctx) -> ctx.breaker("pricing").getName(),
                        RetryPolicy.none(), null)
                .build().start()) {
            JobInfo done = sluice.await(sluice.submit("price", "x"), PATIENCE);
            assertThat(done.state()).isEqualTo(JobState.DEAD);
            assertThat(done.lastError()).get(STRING).contains("no circuit breaker named 'pricing'")
                    .contains("pricing-api");
        }
    }

    @Test
    void namedRetryRetriesOnlyTheCallInsideOneAttempt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Sluice sluice = Sluice.builder()
                .drainTimeout(Duration.ofSeconds(1))
                .namedRetry("flaky-call", RetryConfig.custom()
                        .maxAttempts(3)
                        .waitDuration(Duration.ofMillis(1))
                        .retryExceptions(IOException.class)
                        .build())
                .handler("fetch", String.class, (url, ctx) -> ctx.retry("flaky-call").executeCallable(() -> {
                    if (calls.incrementAndGet() < 3) {
                        throw new IOException("connection reset");
                    }
                    return "fetched " + url;
                }))
                .build().start()) {
            JobInfo done = sluice.await(sluice.submit("fetch", "https://example.com"), PATIENCE);
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.attempts()).isEqualTo(1);
            assertThat(calls).hasValue(3);
        }
    }
}
