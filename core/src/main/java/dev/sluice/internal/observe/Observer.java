package dev.sluice.internal.observe;

import dev.sluice.JobState;
import dev.sluice.observe.Alert;
import dev.sluice.observe.HealthReport;
import dev.sluice.observe.ObservabilityConfig;
import dev.sluice.observe.ScalingAdvice;
import dev.sluice.observe.ScalingAdvisor;
import dev.sluice.observe.ScalingInput;
import dev.sluice.store.JobStore;
import dev.sluice.store.QueueStats;
import dev.sluice.store.StoreStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches the engine from its own daemon thread: every refresh interval it takes one store stats snapshot
 * (feeding the queue gauges), samples the node's meters, and from the two computes the health report, the
 * alerts and the scaling advice. Nothing here runs on the job hot path. Thread-safe.
 */
public final class Observer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Observer.class);

    private final ObservabilityConfig config;
    private final JobStore store;
    private final Clock clock;
    private final NodeSampler sampler;
    private final Set<String> servedQueues;
    private final String nodeId;
    private final QueueGauges gauges;
    private final RateWindow window;
    private final ScalingAdvisor advisor;
    private final AlertTracker alerts;
    private final ScheduledThreadPoolExecutor thread;
    private final List<Consumer<StoreStats>> statsSinks = new CopyOnWriteArrayList<>();

    private StoreStats lastStats;
    private Instant storeFailingSince;
    private volatile Observation latest;
    private volatile long latestNanos;
    private volatile HealthReport health;
    private volatile ScalingAdvice advice;

    public Observer(ObservabilityConfig config, JobStore store, MeterRegistry registry, Clock clock,
                    NodeSampler sampler, Set<String> servedQueues, String nodeId) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.sampler = sampler;
        this.servedQueues = Set.copyOf(servedQueues);
        this.nodeId = nodeId;
        this.gauges = new QueueGauges(registry, clock, servedQueues);
        this.window = new RateWindow(config.rateWindow().toNanos(), sampler.sample(Long.MAX_VALUE, 0));
        this.advisor = ScalingAdvisor.of(config.scaling());
        this.alerts = new AlertTracker(config.alertListeners());
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sluice-observer");
            t.setDaemon(true);
            return t;
        });
        Gauge.builder("sluice.health.score", this, o -> o.health == null ? Double.NaN : o.health.score())
                .description("Health score 0..100 (see HealthReport)").register(registry);
        Gauge.builder("sluice.alerts.active", this, o -> o.alerts.active().size())
                .description("Alerts active now").register(registry);
        Gauge.builder("sluice.scaling.desired.workers", this,
                        o -> o.advice == null ? Double.NaN : o.advice.desiredWorkers())
                .description("Workers the scaling advisor recommends").register(registry);
    }

    /** Hears every stats snapshot a round takes (the cluster view's queue rates sample them). */
    public void onStats(Consumer<StoreStats> sink) {
        statsSinks.add(sink);
    }

    public void start() {
        long every = config.refreshInterval().toMillis();
        thread.scheduleWithFixedDelay(this::observeQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** The latest health report; computed now when none is fresher than the refresh interval. */
    public HealthReport health() {
        freshen();
        return health;
    }

    public ScalingAdvice scalingAdvice() {
        freshen();
        return advice;
    }

    public List<Alert> activeAlerts() {
        freshen();
        return alerts.active();
    }

    private void freshen() {
        if (latest == null || System.nanoTime() - latestNanos > config.refreshInterval().toNanos()) {
            observe();
        }
    }

    private void observeQuietly() {
        try {
            observe();
        } catch (Throwable t) {
            log.warn("observing node {} failed; trying again in {}", nodeId, config.refreshInterval(), t);
        }
    }

    /** One round: snapshot, sample, health, advice, alerts. Serialised: rounds never overlap. */
    synchronized void observe() {
        Instant now = clock.instant();
        String storeError = null;
        try {
            lastStats = store.stats();
            storeFailingSince = null;
            gauges.update(lastStats);
        } catch (RuntimeException e) {
            storeError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            if (storeFailingSince == null) {
                storeFailingSince = now;
            }
        }
        if (storeError == null) {
            for (Consumer<StoreStats> sink : statsSinks) {
                sink.accept(lastStats);
            }
        }
        NodeSample node = sampler.sample(config.health().stuckAfter().toNanos(), config.rateWindow().toNanos());
        window.add(node);
        NodeSample old = window.oldest();
        double seconds = Math.max(1e-3, (node.nanoTime() - old.nanoTime()) / 1e9);
        long failed = (node.failed() - old.failed()) + (node.dead() - old.dead());
        long ended = failed + (node.succeeded() - old.succeeded());
        long attempts = node.attempts() - old.attempts();
        double avgProcessing = attempts == 0 ? 0 : (node.attemptNanos() - old.attemptNanos()) / 1e9 / attempts;
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        Observation o = new Observation(now, lastStats, storeError, storeFailingSince, node, seconds, ended, failed,
                ended == 0 ? 0 : (double) failed / ended, avgProcessing,
                (node.submitted() - old.submitted()) / seconds, ended / seconds,
                max > 0 ? (double) heap.getUsed() / max : 0, max, nodeId);
        apply(o);
    }

    /** Computes health, advice and alerts from an observation; separate so that tests can feed one. */
    synchronized void apply(Observation o) {
        latest = o;
        latestNanos = System.nanoTime();
        health = HealthEvaluator.evaluate(o, config.health());
        // A node without workers (producer only) has nothing to scale.
        advice = o.node().workers() == 0 ? null : advisor.advise(new ScalingInput(readyInServedQueues(o), o.arrivalRate(), o.completionRate(),
                o.node().busyWorkers(), o.node().workers(), o.heapUsed(), o.errorRate(), o.at()));
        alerts.update(AlertRules.evaluate(o, config, advice), o.at());
    }

    private long readyInServedQueues(Observation o) {
        long ready = 0;
        if (o.stats() != null) {
            for (QueueStats q : o.stats().queues().values()) {
                if (servedQueues.contains(q.queue()) && !q.paused()) {
                    ready += q.count(JobState.READY);
                }
            }
        }
        return ready;
    }
}
