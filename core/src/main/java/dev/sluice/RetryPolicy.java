package dev.sluice;

import io.github.resilience4j.core.IntervalFunction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * How a failed attempt is retried: up to {@code maxAttempts} attempts in all, the n-th retry after
 * {@code min(initialInterval × multiplier^(n-1), maxInterval)} randomized by ±{@code jitter}
 * (resilience4j's {@link IntervalFunction#ofExponentialRandomBackoff}). Defaults: 3 attempts, 1 s, ×2, 60 s,
 * jitter 0.5. Exceptions of a non-retryable class (and {@link NonRetryableException}) end the job DEAD at once.
 *
 * <p>A policy belongs to a job type (given when its handler is registered) so that every node that may run
 * a retry applies the same rule; a request may only lower or raise {@code maxAttempts}. Immutable.
 */
public final class RetryPolicy {

    private static final RetryPolicy DEFAULTS = builder().build();

    private final int maxAttempts;
    private final Duration initialInterval;
    private final double multiplier;
    private final Duration maxInterval;
    private final double jitter;
    private final List<Class<? extends Throwable>> nonRetryable;
    private final IntervalFunction intervals;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialInterval = b.initialInterval;
        this.multiplier = b.multiplier;
        this.maxInterval = b.maxInterval;
        this.jitter = b.jitter;
        this.nonRetryable = Collections.unmodifiableList(new ArrayList<>(b.nonRetryable));
        this.intervals = jitter == 0
                ? IntervalFunction.ofExponentialBackoff(initialInterval, multiplier, maxInterval)
                : IntervalFunction.ofExponentialRandomBackoff(initialInterval, multiplier, jitter, maxInterval);
    }

    /** 3 attempts, backoff min(1 s × 2^n, 60 s) with jitter 0.5. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** No retries: one attempt. */
    public static RetryPolicy none() {
        return builder().maxAttempts(1).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialInterval() {
        return initialInterval;
    }

    public double multiplier() {
        return multiplier;
    }

    public Duration maxInterval() {
        return maxInterval;
    }

    public double jitter() {
        return jitter;
    }

    public List<Class<? extends Throwable>> nonRetryable() {
        return nonRetryable;
    }

    /** The wait before the retry that follows failed attempt number {@code attempt} (1-based). */
    public Duration backoffAfter(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1 but was " + attempt);
        }
        return Duration.ofMillis(intervals.apply(attempt));
    }

    /** True when this error may be retried: neither it nor any cause is of a non-retryable class. */
    public boolean isRetryable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NonRetryableException) {
                return false;
            }
            for (Class<? extends Throwable> type : nonRetryable) {
                if (type.isInstance(t)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", initialInterval=" + initialInterval
                + ", multiplier=" + multiplier + ", maxInterval=" + maxInterval + ", jitter=" + jitter
                + ", nonRetryable=" + nonRetryable + '}';
    }

    /** Builds a {@link RetryPolicy}; {@link #build()} rejects bad values naming the field. */
    public static final class Builder {
        private int maxAttempts = 3;
        private Duration initialInterval = Duration.ofSeconds(1);
        private double multiplier = 2.0;
        private Duration maxInterval = Duration.ofSeconds(60);
        private double jitter = 0.5;
        private final List<Class<? extends Throwable>> nonRetryable = new ArrayList<>();

        private Builder() {
        }

        /** Attempts in all, the first included; at least 1. Default 3. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Wait before the first retry. Default 1 s. */
        public Builder initialInterval(Duration initialInterval) {
            this.initialInterval = initialInterval;
            return this;
        }

        /** Growth factor per retry, at least 1. Default 2. */
        public Builder multiplier(double multiplier) {
            this.multiplier = multiplier;
            return this;
        }

        /** Upper bound of a wait. Default 60 s. */
        public Builder maxInterval(Duration maxInterval) {
            this.maxInterval = maxInterval;
            return this;
        }

        /** Randomization factor in [0, 1): each wait is spread over ±jitter of itself. Default 0.5. */
        public Builder jitter(double jitter) {
            this.jitter = jitter;
            return this;
        }

        /** Exception classes (and their subclasses) that end the job DEAD at once. */
        @SafeVarargs
        public final Builder nonRetryable(Class<? extends Throwable>... types) {
            for (Class<? extends Throwable> type : types) {
                nonRetryable.add(Objects.requireNonNull(type, "nonRetryable type"));
            }
            return this;
        }

        public RetryPolicy build() {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1 but was " + maxAttempts);
            }
            requirePositive("initialInterval", initialInterval);
            requirePositive("maxInterval", maxInterval);
            if (maxInterval.compareTo(initialInterval) < 0) {
                throw new IllegalArgumentException("maxInterval (" + maxInterval
                        + ") must not be shorter than initialInterval (" + initialInterval + ")");
            }
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("multiplier must be >= 1 but was " + multiplier);
            }
            if (!(jitter >= 0.0 && jitter < 1.0)) {
                throw new IllegalArgumentException("jitter must be in [0, 1) but was " + jitter);
            }
            return new RetryPolicy(this);
        }

        private static void requirePositive(String field, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(field + " must be a positive duration but was " + value);
            }
        }
    }
}
