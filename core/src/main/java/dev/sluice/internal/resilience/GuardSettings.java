package dev.sluice.internal.resilience;

import dev.sluice.JobRequest;
import dev.sluice.cache.ResultCacheConfig;
import dev.sluice.resilience.BreakerConfig;
import dev.sluice.resilience.RateLimit;
import io.github.resilience4j.retry.RetryConfig;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What gates attempts, as configured on {@code Sluice.Builder}: breakers and rate limits per job type or queue,
 * named breakers and retries for handlers, result caches per job type. Immutable once built.
 */
public final class GuardSettings {

    final Map<String, BreakerConfig> typeBreakers;
    final Map<String, RateLimit> typeLimits;
    final Map<String, RateLimit> queueLimits;
    final Map<String, BreakerConfig> namedBreakers;
    final Map<String, RetryConfig> namedRetries;
    public final Map<String, ResultCacheConfig> resultCaches;

    private GuardSettings(Builder b) {
        this.typeBreakers = copy(b.typeBreakers);
        this.typeLimits = copy(b.typeLimits);
        this.queueLimits = copy(b.queueLimits);
        this.namedBreakers = copy(b.namedBreakers);
        this.namedRetries = copy(b.namedRetries);
        this.resultCaches = copy(b.resultCaches);
    }

    public static Builder builder() {
        return new Builder();
    }

    private static <V> Map<String, V> copy(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** Collects guards for {@code Sluice.Builder}; each name may be configured once. */
    public static final class Builder {
        private final Map<String, BreakerConfig> typeBreakers = new LinkedHashMap<>();
        private final Map<String, RateLimit> typeLimits = new LinkedHashMap<>();
        private final Map<String, RateLimit> queueLimits = new LinkedHashMap<>();
        private final Map<String, BreakerConfig> namedBreakers = new LinkedHashMap<>();
        private final Map<String, RetryConfig> namedRetries = new LinkedHashMap<>();
        private final Map<String, ResultCacheConfig> resultCaches = new LinkedHashMap<>();

        private Builder() {
        }

        public void typeBreaker(String type, BreakerConfig config) {
            put(typeBreakers, "circuit breaker of job type", type(type), config);
        }

        public void typeRateLimit(String type, RateLimit limit) {
            put(typeLimits, "rate limit of job type", type(type), limit);
        }

        public void queueRateLimit(String queue, RateLimit limit) {
            Objects.requireNonNull(queue, "queue");
            JobRequest.builder("x").queue(queue).build(); // JobRequest's rules for queue names
            put(queueLimits, "rate limit of queue", queue, limit);
        }

        public void namedBreaker(String name, BreakerConfig config) {
            put(namedBreakers, "circuit breaker named", text("breaker name", name), config);
        }

        public void namedRetry(String name, RetryConfig config) {
            put(namedRetries, "retry named", text("retry name", name), config);
        }

        public void resultCache(String type, ResultCacheConfig config) {
            put(resultCaches, "result cache of job type", type(type), config);
        }

        /**
         * @param handlerTypes the types this node has handlers for
         * @param queues       the queues this node serves
         * @param producerOnly a node that runs nothing: nothing to check against
         * @throws IllegalArgumentException naming a type or queue configured here that the node does not know
         */
        public GuardSettings build(Set<String> handlerTypes, Set<String> queues, boolean producerOnly) {
            if (!producerOnly) {
                for (Map<String, ?> perType : java.util.List.of(typeBreakers, typeLimits, resultCaches)) {
                    for (String type : perType.keySet()) {
                        if (!handlerTypes.contains(type)) {
                            throw new IllegalArgumentException("job type '" + type + "' has a breaker, rate limit"
                                    + " or result cache but no handler (registered: " + handlerTypes + ")");
                        }
                    }
                }
                for (String queue : queueLimits.keySet()) {
                    if (!queues.contains(queue)) {
                        throw new IllegalArgumentException("queue '" + queue + "' has a rate limit but this node"
                                + " does not serve it (served: " + queues + "); configure it with queue(...)");
                    }
                }
            }
            return new GuardSettings(this);
        }

        private static String type(String type) {
            return JobRequest.builder(type).build().type(); // JobRequest's rules for type names
        }

        private static String text(String field, String name) {
            if (name == null || name.isBlank() || name.length() > 128) {
                throw new IllegalArgumentException(field + " must be 1..128 non-blank characters but was "
                        + (name == null ? "null" : "'" + name + "'"));
            }
            return name;
        }

        private static <V> void put(Map<String, V> map, String what, String name, V value) {
            Objects.requireNonNull(value, what + " '" + name + "'");
            if (map.putIfAbsent(name, value) != null) {
                throw new IllegalArgumentException(what + " '" + name + "' is configured twice");
            }
        }
    }
}
