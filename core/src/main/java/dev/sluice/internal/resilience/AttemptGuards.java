package dev.sluice.internal.resilience;

import dev.sluice.JobContext;
import dev.sluice.resilience.RateLimit;
import dev.sluice.store.SharedRateLimits;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The gates an attempt passes on a worker before its handler runs: the job type's circuit breaker, then the
 * type's and the queue's rate limits. A job refused by a gate is deferred: handed back to the store without
 * counting the attempt. Thread-safe; one per engine.
 *
 * <p>Protocol: when {@link #admit} returns null the attempt holds a breaker permission (if its type has a
 * breaker) and must end with exactly one of {@link #succeeded}, {@link #failed} or {@link #notJudged}.
 */
public final class AttemptGuards {

    private final Map<String, TypeGuard> types = new HashMap<>();
    private final Map<String, Limiter> queueLimiters = new HashMap<>();
    private final NamedGuards named;
    private final boolean empty;
    private final Counter deferredByBreaker;
    private final Counter deferredByRateLimit;

    /**
     * @param store the engine's store, for rate limits counted across the cluster
     * @throws IllegalArgumentException when a limit is across the cluster and the store cannot share limits
     */
    public AttemptGuards(GuardSettings settings, MeterRegistry registry, Object store) {
        long origin = System.nanoTime();
        settings.typeBreakers.forEach((type, config) -> typeGuard(type).breaker = new JobTypeBreaker(type, config));
        settings.typeLimits.forEach((type, limit) -> typeGuard(type).limiter =
                limiter(limit, origin, "type:" + type, "job type '" + type + "'", store));
        settings.queueLimits.forEach((queue, limit) -> queueLimiters.put(queue,
                limiter(limit, origin, "queue:" + queue, "queue '" + queue + "'", store)));
        this.named = new NamedGuards(settings.namedBreakers, settings.namedRetries);
        this.empty = types.isEmpty() && queueLimiters.isEmpty();
        this.deferredByBreaker = deferred(registry, "breaker");
        this.deferredByRateLimit = deferred(registry, "rate_limit");
        types.forEach((type, guard) -> {
            if (guard.breaker != null) {
                CircuitBreaker breaker = guard.breaker.breaker;
                Gauge.builder("sluice.breaker.state", breaker, b -> b.getState().getOrder())
                        .description("State of a job type's breaker: 0 closed, 1 open, 2 half-open, 3 disabled,"
                                + " 4 forced open, 5 metrics only")
                        .tag("type", type).register(registry);
            }
        });
    }

    private static Counter deferred(MeterRegistry registry, String reason) {
        return Counter.builder("sluice.jobs.deferred").tag("reason", reason)
                .description("Attempts handed back unstarted, their attempt not counted").register(registry);
    }

    private static Limiter limiter(RateLimit limit, long origin, String key, String name, Object store) {
        if (!limit.isAcrossCluster()) {
            return new StartLimiter(limit, origin, name);
        }
        if (!(store instanceof SharedRateLimits)) {
            throw new IllegalArgumentException("the rate limit of " + name + " (" + limit + ") is across the cluster,"
                    + " but the store " + store.getClass().getName() + " cannot share limits (it does not implement "
                    + "SharedRateLimits)");
        }
        return new SharedStartLimiter((SharedRateLimits) store, key, limit, name);
    }

    private TypeGuard typeGuard(String type) {
        return types.computeIfAbsent(type, t -> new TypeGuard());
    }

    /** True when no type or queue has a breaker or a rate limit: attempts need not ask. */
    public boolean isEmpty() {
        return empty;
    }

    /**
     * Takes what the attempt needs to start: its type's breaker permission and a start of each rate limit.
     *
     * @return null when the attempt may run now; otherwise how long it should wait and why
     */
    public Deferral admit(String type, String queue) {
        TypeGuard guard = types.get(type);
        Limiter queueLimiter = queueLimiters.isEmpty() ? null : queueLimiters.get(queue);
        if (guard == null && queueLimiter == null) {
            return null;
        }
        long now = System.nanoTime();
        JobTypeBreaker breaker = guard != null ? guard.breaker : null;
        if (breaker != null && !breaker.breaker.tryAcquirePermission()) {
            deferredByBreaker.increment();
            return new Deferral(toMillis(breaker.deferNanos(now)), "circuit breaker of job type '" + type + "' is "
                    + breaker.breaker.getState());
        }
        Limiter typeLimiter = guard != null ? guard.limiter : null;
        if (typeLimiter != null && !typeLimiter.tryAcquire(now)) {
            return overLimit(breaker, typeLimiter, now);
        }
        if (queueLimiter != null && !queueLimiter.tryAcquire(now)) {
            if (typeLimiter != null) {
                typeLimiter.refund(now);
            }
            return overLimit(breaker, queueLimiter, now);
        }
        return null;
    }

    private Deferral overLimit(JobTypeBreaker breaker, Limiter limiter, long now) {
        if (breaker != null) {
            breaker.breaker.releasePermission();
        }
        deferredByRateLimit.increment();
        return new Deferral(toMillis(limiter.nanosToNextWindow(now)), "rate limit of " + limiter.name()
                + " reached");
    }

    private static long toMillis(long nanos) {
        return Math.max(1, (nanos + 999_999) / 1_000_000);
    }

    /** The handler returned: a success on the type's breaker. */
    public void succeeded(String type, long durationNanos) {
        CircuitBreaker breaker = breakerOf(type);
        if (breaker != null) {
            breaker.onSuccess(durationNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The handler failed in a way that says something of its downstream (retryable, timed out). */
    public void failed(String type, long durationNanos, Throwable error) {
        CircuitBreaker breaker = breakerOf(type);
        if (breaker != null) {
            breaker.onError(durationNanos, TimeUnit.NANOSECONDS, error);
        }
    }

    /** The attempt ended in a way that judges nothing (cancelled, lease lost, shutdown, non-retryable error). */
    public void notJudged(String type) {
        CircuitBreaker breaker = breakerOf(type);
        if (breaker != null) {
            breaker.releasePermission();
        }
    }

    private CircuitBreaker breakerOf(String type) {
        if (types.isEmpty()) {
            return null;
        }
        TypeGuard guard = types.get(type);
        return guard == null || guard.breaker == null ? null : guard.breaker.breaker;
    }

    /** The job types whose breaker is open (or forced open) now: their jobs are deferred. */
    public Set<String> openBreakerTypes() {
        if (types.isEmpty()) {
            return Set.of();
        }
        Set<String> open = new TreeSet<>();
        types.forEach((type, guard) -> {
            if (guard.breaker != null) {
                CircuitBreaker.State state = guard.breaker.breaker.getState();
                if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN) {
                    open.add(type);
                }
            }
        });
        return open;
    }

    /** The breaker of a job type, if it has one. */
    public Optional<CircuitBreaker> jobTypeBreaker(String type) {
        return Optional.ofNullable(breakerOf(type));
    }

    /** Starts the queue may still make in the current window; {@code Integer.MAX_VALUE} when it has no limit. */
    public int queueStartsAvailable(String queue) {
        Limiter limiter = queueLimiters.isEmpty() ? null : queueLimiters.get(queue);
        return limiter == null ? Integer.MAX_VALUE : limiter.available(System.nanoTime());
    }

    /** Nanoseconds until the queue's next rate-limit window; 0 when it has no limit. */
    public long nanosToNextQueueWindow(String queue) {
        Limiter limiter = queueLimiters.get(queue);
        return limiter == null ? 0 : limiter.nanosToNextWindow(System.nanoTime());
    }

    /** The context to hand the handler: the attempt's own, or one that adds the named breakers and retries. */
    public JobContext contextFor(JobContext attempt) {
        return named.isEmpty() ? attempt : new GuardedContext(attempt, named);
    }

    private static final class TypeGuard {
        JobTypeBreaker breaker;
        Limiter limiter;
    }
}
