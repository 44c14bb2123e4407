package dev.sluice.observe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the engine observes itself: meters, the store stats snapshot, health thresholds, alert rules and
 * listeners, the scaling advisor. Immutable; made by {@link #builder()} (given to
 * {@code Sluice.Builder#observability}); {@code build()} rejects bad values naming the field.
 */
public final class ObservabilityConfig {

    private static final ObservabilityConfig DEFAULTS = builder().build();

    private final boolean percentileHistograms;
    private final boolean jobTimers;
    private final Duration refreshInterval;
    private final Duration rateWindow;
    private final long alertQueueDepth;
    private final HealthConfig health;
    private final ScalingConfig scaling;
    private final List<AlertListener> alertListeners;
    private final AdaptiveConcurrency adaptiveConcurrency;

    private ObservabilityConfig(Builder b) {
        this.percentileHistograms = b.percentileHistograms;
        this.jobTimers = b.jobTimers;
        this.refreshInterval = b.refreshInterval;
        this.rateWindow = b.rateWindow;
        this.alertQueueDepth = b.alertQueueDepth;
        this.health = b.health;
        this.scaling = b.scaling;
        this.alertListeners = List.copyOf(b.alertListeners);
        this.adaptiveConcurrency = b.adaptiveConcurrency;
    }

    public static ObservabilityConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean percentileHistograms() {
        return percentileHistograms;
    }

    public boolean jobTimers() {
        return jobTimers;
    }

    public Duration refreshInterval() {
        return refreshInterval;
    }

    public Duration rateWindow() {
        return rateWindow;
    }

    public long alertQueueDepth() {
        return alertQueueDepth;
    }

    public HealthConfig health() {
        return health;
    }

    public ScalingConfig scaling() {
        return scaling;
    }

    public List<AlertListener> alertListeners() {
        return alertListeners;
    }

    /** Adaptive concurrency for every served queue, or null when off (the default). */
    public AdaptiveConcurrency adaptiveConcurrency() {
        return adaptiveConcurrency;
    }

    /** Collects settings; not thread-safe. */
    public static final class Builder {
        private boolean percentileHistograms;
        private boolean jobTimers = true;
        private Duration refreshInterval = Duration.ofSeconds(5);
        private Duration rateWindow = Duration.ofSeconds(60);
        private long alertQueueDepth = 100;
        private HealthConfig health = HealthConfig.defaults();
        private ScalingConfig scaling = ScalingConfig.defaults();
        private final List<AlertListener> alertListeners = new ArrayList<>();
        private AdaptiveConcurrency adaptiveConcurrency;

        private Builder() {
        }

        /**
         * Publish percentile histograms (buckets) with the job duration and wait timers, for percentiles
         * aggregated across nodes by the monitoring system. Costs memory per (type, queue). Default false.
         */
        public Builder percentileHistograms(boolean enabled) {
            this.percentileHistograms = enabled;
            return this;
        }

        /**
         * Record the {@code sluice.jobs.duration} and {@code sluice.jobs.wait} timers. Default true; turning them
         * off saves two timer records per attempt (health still sees average processing time).
         */
        public Builder jobTimers(boolean enabled) {
            this.jobTimers = enabled;
            return this;
        }

        /**
         * How often the store stats snapshot (queue gauges) is refreshed and health, alerts and the scaling
         * advice are evaluated: one {@code stats()} store call per interval, never one per scrape. Default 5 s.
         */
        public Builder refreshInterval(Duration interval) {
            this.refreshInterval = interval;
            return this;
        }

        /** The window that error rate, average processing time and arrival/completion rates cover. Default 60 s. */
        public Builder rateWindow(Duration window) {
            this.rateWindow = window;
            return this;
        }

        /**
         * READY jobs in one queue above which a MODERATE {@code queue-depth} alert starts; above the health
         * config's {@code maxQueueDepth} it is HIGH. Default 100.
         */
        public Builder alertQueueDepth(long jobs) {
            this.alertQueueDepth = jobs;
            return this;
        }

        /** Health check thresholds, also used by the alert rules. Default {@link HealthConfig#defaults()}. */
        public Builder health(HealthConfig health) {
            this.health = Objects.requireNonNull(health, "health");
            return this;
        }

        /** The scaling advisor's parameters. Default {@link ScalingConfig#defaults()}. */
        public Builder scaling(ScalingConfig scaling) {
            this.scaling = Objects.requireNonNull(scaling, "scaling");
            return this;
        }

        /** Adds a listener told when alerts start and clear (for logs: {@link LoggingAlertListener#instance()}). */
        public Builder alertListener(AlertListener listener) {
            alertListeners.add(Objects.requireNonNull(listener, "alertListener"));
            return this;
        }

        /**
         * Lets every served queue's concurrency adapt between the config's minimum and the queue's configured
         * concurrency; null turns it off. Default off.
         */
        public Builder adaptiveConcurrency(AdaptiveConcurrency adaptive) {
            this.adaptiveConcurrency = adaptive;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad value */
        public ObservabilityConfig build() {
            Checks.positive("refreshInterval", refreshInterval);
            Checks.positive("rateWindow", rateWindow);
            if (rateWindow.compareTo(refreshInterval) < 0) {
                throw new IllegalArgumentException("rateWindow (" + rateWindow + ") must be at least refreshInterval ("
                        + refreshInterval + ")");
            }
            Checks.atLeast("alertQueueDepth", alertQueueDepth, 0);
            return new ObservabilityConfig(this);
        }
    }
}
