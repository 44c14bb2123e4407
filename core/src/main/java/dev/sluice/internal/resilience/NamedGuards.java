package dev.sluice.internal.resilience;

import dev.sluice.resilience.BreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/** The named breakers and retries handlers reach through their context; made once per engine, shared by all jobs. */
final class NamedGuards {

    private final Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();
    private final Map<String, Retry> retries = new LinkedHashMap<>();

    NamedGuards(Map<String, BreakerConfig> breakerConfigs, Map<String, RetryConfig> retryConfigs) {
        breakerConfigs.forEach((name, config) -> breakers.put(name, CircuitBreaker.of(name,
                config.circuitBreakerConfig())));
        retryConfigs.forEach((name, config) -> retries.put(name, Retry.of(name, config)));
    }

    boolean isEmpty() {
        return breakers.isEmpty() && retries.isEmpty();
    }

    CircuitBreaker breaker(String name) {
        CircuitBreaker breaker = breakers.get(name);
        if (breaker == null) {
            throw new IllegalArgumentException("no circuit breaker named '" + name + "' is configured (configured: "
                    + breakers.keySet() + "); add one with Sluice.Builder.namedBreaker");
        }
        return breaker;
    }

    Retry retry(String name) {
        Retry retry = retries.get(name);
        if (retry == null) {
            throw new IllegalArgumentException("no retry named '" + name + "' is configured (configured: "
                    + retries.keySet() + "); add one with Sluice.Builder.namedRetry");
        }
        return retry;
    }
}
