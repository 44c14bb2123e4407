package dev.sluice.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;

import java.time.Duration;
import java.util.Objects;

/**
 * How a circuit breaker judges its calls: a job type's breaker (the engine records each attempt of the type on
 * it) or a named breaker that handlers use around their own calls. Immutable and thread-safe; made by
 * {@link #custom()} or {@link #of(CircuitBreakerConfig)}. It is a thin layer over resilience4j's
 * {@link CircuitBreakerConfig}, whose semantics apply unchanged; defaults here are chosen for jobs, which are
 * fewer and slower than the requests resilience4j's defaults are tuned for.
 *
 * <pre>{@code
 * BreakerConfig pricing = BreakerConfig.custom()
 *         .consecutiveFailures(5)                        // opens after 5 failures in a row
 *         .slowCall(Duration.ofSeconds(30), 100)         // calls over 30 s count as slow
 *         .waitInOpenState(Duration.ofSeconds(60))       // then lets probes through
 *         .build();
 * }</pre>
 */
public final class BreakerConfig {

    private final CircuitBreakerConfig circuitBreakerConfig;
    private final Duration deferralDelay;

    private BreakerConfig(CircuitBreakerConfig circuitBreakerConfig, Duration deferralDelay) {
        this.circuitBreakerConfig = circuitBreakerConfig;
        this.deferralDelay = deferralDelay;
    }

    /** A builder with the defaults listed on its methods. */
    public static Builder custom() {
        return new Builder();
    }

    /** The defaults of {@link #custom()}. */
    public static BreakerConfig defaults() {
        return custom().build();
    }

    /**
     * Wraps a resilience4j configuration as it is, for what the builder does not offer (result predicates,
     * a wait that grows with each opening...). Deferral delay: 1 s.
     */
    public static BreakerConfig of(CircuitBreakerConfig config) {
        return new BreakerConfig(Objects.requireNonNull(config, "config"), Duration.ofSeconds(1));
    }

    /** The resilience4j configuration the breaker is made with. */
    public CircuitBreakerConfig circuitBreakerConfig() {
        return circuitBreakerConfig;
    }

    /**
     * How long a job of a job type's breaker waits when it reaches a worker while the breaker lets nothing
     * through and no end of the wait is known: HALF_OPEN with every probe taken, FORCED_OPEN. (While OPEN, a job
     * waits until the breaker's wait in the open state ends.)
     */
    public Duration deferralDelay() {
        return deferralDelay;
    }

    @Override
    public String toString() {
        CircuitBreakerConfig c = circuitBreakerConfig;
        return "BreakerConfig{failureRate=" + c.getFailureRateThreshold() + "%, slowCallRate="
                + c.getSlowCallRateThreshold() + "% over " + c.getSlowCallDurationThreshold() + ", window="
                + c.getSlidingWindowType() + " " + c.getSlidingWindowSize() + " (min " + c.getMinimumNumberOfCalls()
                + "), halfOpenCalls=" + c.getPermittedNumberOfCallsInHalfOpenState() + ", deferralDelay="
                + deferralDelay + '}';
    }

    /** Builds a {@link BreakerConfig}; {@link #build()} throws {@link IllegalArgumentException} naming a bad value. */
    public static final class Builder {
        private float failureRateThreshold = 50;
        private float slowCallRateThreshold = 100;
        private Duration slowCallDuration = Duration.ofSeconds(60);
        private SlidingWindowType windowType = SlidingWindowType.COUNT_BASED;
        private int windowSize = 20;
        private int minimumCalls = 10;
        private Duration waitInOpenState = Duration.ofSeconds(60);
        private int halfOpenCalls = 3;
        private Duration deferralDelay = Duration.ofSeconds(1);
        private Class<? extends Throwable>[] ignored;

        private Builder() {
        }

        /** Percent of failed calls in the window (over 0, at most 100) at which the breaker opens. Default 50. */
        public Builder failureRateThreshold(float percent) {
            this.failureRateThreshold = percent;
            return this;
        }

        /**
         * Calls that last at least {@code duration} are slow; when {@code percent} (over 0, at most 100) of the
         * window's calls are slow the breaker opens. Default 60 s and 100 %.
         */
        public Builder slowCall(Duration duration, float percent) {
            this.slowCallDuration = duration;
            this.slowCallRateThreshold = percent;
            return this;
        }

        /** The last {@code calls} calls make the window (at least 1). Default 20. */
        public Builder countWindow(int calls) {
            this.windowType = SlidingWindowType.COUNT_BASED;
            this.windowSize = calls;
            return this;
        }

        /** The calls of the last {@code seconds} seconds make the window (at least 1). */
        public Builder timeWindow(int seconds) {
            this.windowType = SlidingWindowType.TIME_BASED;
            this.windowSize = seconds;
            return this;
        }

        /** Calls the window must hold before a rate is judged (at least 1). Default 10. */
        public Builder minimumCalls(int calls) {
            this.minimumCalls = calls;
            return this;
        }

        /**
         * Opens after {@code failures} failed calls in a row: a count window of that size, as many minimum calls
         * and a 100 % failure-rate threshold.
         */
        public Builder consecutiveFailures(int failures) {
            countWindow(failures);
            this.minimumCalls = failures;
            this.failureRateThreshold = 100;
            return this;
        }

        /** How long an open breaker refuses calls before it lets probes through (positive). Default 60 s. */
        public Builder waitInOpenState(Duration wait) {
            this.waitInOpenState = wait;
            return this;
        }

        /** Probe calls let through while HALF_OPEN (at least 1). Default 3. */
        public Builder halfOpenCalls(int calls) {
            this.halfOpenCalls = calls;
            return this;
        }

        /** See {@link BreakerConfig#deferralDelay()} (positive). Default 1 s. */
        public Builder deferralDelay(Duration delay) {
            this.deferralDelay = delay;
            return this;
        }

        /** Errors that count neither as failure nor success (they still end the attempt as the retry policy says). */
        @SafeVarargs
        public final Builder ignoreExceptions(Class<? extends Throwable>... types) {
            this.ignored = types.clone();
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad field and its value */
        public BreakerConfig build() {
            percent("failureRateThreshold", failureRateThreshold);
            percent("slowCallRateThreshold", slowCallRateThreshold);
            positive("slowCallDuration", slowCallDuration);
            positive("waitInOpenState", waitInOpenState);
            positive("deferralDelay", deferralDelay);
            atLeastOne(windowType == SlidingWindowType.COUNT_BASED ? "countWindow" : "timeWindow", windowSize);
            atLeastOne("minimumCalls", minimumCalls);
            atLeastOne("halfOpenCalls", halfOpenCalls);
            CircuitBreakerConfig.Builder b = CircuitBreakerConfig.custom()
                    .failureRateThreshold(failureRateThreshold)
                    .slowCallRateThreshold(slowCallRateThreshold)
                    .slowCallDurationThreshold(slowCallDuration)
                    .slidingWindow(windowSize, minimumCalls, windowType)
                    .waitDurationInOpenState(waitInOpenState)
                    .permittedNumberOfCallsInHalfOpenState(halfOpenCalls)
                    .writableStackTraceEnabled(false);
            if (ignored != null) {
                b.ignoreExceptions(ignored);
            }
            return new BreakerConfig(b.build(), deferralDelay);
        }

        private static void percent(String field, float value) {
            if (!(value > 0 && value <= 100)) {
                throw new IllegalArgumentException(field + " must be a percent over 0 and at most 100 but was "
                        + value);
            }
        }

        private static void positive(String field, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(field + " must be a positive duration but was " + value);
            }
        }

        private static void atLeastOne(String field, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(field + " must be >= 1 but was " + value);
            }
        }
    }
}
