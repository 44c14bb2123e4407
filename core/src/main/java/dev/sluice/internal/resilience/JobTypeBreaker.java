package dev.sluice.internal.resilience;

import dev.sluice.resilience.BreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import java.util.concurrent.TimeUnit;

/**
 * A job type's breaker and the end of its current open wait. resilience4j does not say when an OPEN breaker
 * will let probes through, so the transition to OPEN is watched and the end computed from the config's wait
 * function: that is when a deferred job should come back.
 */
final class JobTypeBreaker {

    final CircuitBreaker breaker;
    private final long deferralNanos;
    private volatile long openUntilNanos;

    JobTypeBreaker(String type, BreakerConfig config) {
        this.breaker = CircuitBreaker.of("job-type:" + type, config.circuitBreakerConfig());
        this.deferralNanos = config.deferralDelay().toNanos();
        breaker.getEventPublisher().onStateTransition(event -> {
            if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                long waitMillis = breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
                openUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            }
        });
    }

    /** How long a job refused by the breaker should wait before a worker tries it again. */
    long deferNanos(long nowNanos) {
        if (breaker.getState() == CircuitBreaker.State.OPEN) {
            long left = openUntilNanos - nowNanos;
            if (left > 0) {
                return left;
            }
        }
        return deferralNanos;
    }
}
