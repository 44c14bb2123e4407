package dev.sluice.internal.engine;

import dev.sluice.QueueConfig;
import dev.sluice.internal.observe.ConcurrencyLimit;
import dev.sluice.internal.observe.JobMeters;
import dev.sluice.store.ClaimedJob;
import io.micrometer.core.instrument.Gauge;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One served queue on this node: the jobs claimed for it and not yet started, and the count of slots held
 * (claimed and not finished). Its workers are exactly {@code concurrency} threads, so no more than that many
 * of its jobs ever run at once here.
 *
 * <p>Busy workers are derived from counts the engine keeps anyway (held minus buffered), and stuck jobs are
 * found by the observer in the engine's held map: the only per-job observability cost here is one map read,
 * two {@code nanoTime} reads, one clock read and the adders of {@link JobMeters}. (Posting each job in a
 * per-worker slot for the observer measured about 9% of EngineThroughputBenchmark's no-op job rate.)
 */
final class QueueWorkers {

    final QueueConfig config;
    final String name;
    /** Claimed jobs waiting for one of this queue's workers. */
    final LinkedBlockingQueue<RunningJob> buffer = new LinkedBlockingQueue<>();
    /** Jobs claimed for this queue whose attempt has not finished. Only the dispatcher increments it. */
    final AtomicInteger inFlight = new AtomicInteger();
    /** Most jobs held at once: the queue's concurrency plus the engine's claim-ahead. */
    final int maxInFlight;
    private final int claimAhead;
    /** The adaptive limit under the queue's concurrency, or null when adaptive concurrency is off. */
    final ConcurrencyLimit adaptive;
    /** Jobs held per tenant; null when the queue has no tenant limit (no tracking cost). */
    private final ConcurrentHashMap<String, AtomicInteger> tenants;
    private final EngineMetrics metrics;
    /** Registered type to its meters on this queue; never written after construction. */
    private final Map<String, JobMeters> meters;

    QueueWorkers(QueueConfig config, int claimAhead, EngineMetrics metrics) {
        this.config = config;
        this.name = config.name();
        this.maxInFlight = config.concurrency() + claimAhead;
        this.claimAhead = claimAhead;
        this.adaptive = metrics.adaptive == null ? null : new ConcurrencyLimit(metrics.adaptive, config.concurrency());
        this.tenants = config.tenantShare() < 1.0 ? new ConcurrentHashMap<>() : null;
        this.metrics = metrics;
        this.meters = metrics.metersOf(name);
        Gauge.builder("sluice.workers.busy", this, QueueWorkers::busyWorkers).tag("queue", name)
                .description("Workers of the queue running a job now").register(metrics.registry());
        Gauge.builder("sluice.workers", config, QueueConfig::concurrency).tag("queue", name)
                .description("Workers of the queue").register(metrics.registry());
        Gauge.builder("sluice.workers.limit", this, QueueWorkers::limit).tag("queue", name)
                .description("Jobs of the queue claimed to run at once: the adaptive limit, else the concurrency")
                .register(metrics.registry());
    }

    /** Runs one claimed job on the calling worker and records its meters. */
    void run(AttemptRunner runner, RunningJob job) {
        ClaimedJob c = job.claimed;
        JobMeters m = meters.get(c.type());
        if (m == null) {
            m = metrics.meters(c.type(), name);
            metrics.unhandledType(c.type());
        }
        long waitMillis = metrics.clock.millis() - c.readyAtMillis();
        long start = System.nanoTime();
        if (adaptive != null) {
            adaptive.started();
        }
        long ran = -1;
        try {
            runner.run(job);
        } finally {
            if (job.started) {
                ran = System.nanoTime() - start;
                m.attemptRan(c.attempt(), waitMillis, ran);
            }
            if (adaptive != null) {
                adaptive.ended(ran, job.attemptFailed);
            }
        }
    }

    /** The meters of a type on this queue. */
    JobMeters meters(String type) {
        JobMeters m = meters.get(type);
        return m != null ? m : metrics.meters(type, name);
    }

    /** Jobs held minus jobs waiting in the buffer: those a worker has taken. Racy, as a gauge may be. */
    int busyWorkers() {
        return Math.max(0, Math.min(config.concurrency(), inFlight.get() - buffer.size()));
    }

    int freeSlots() {
        return (adaptive == null ? maxInFlight : adaptive.limit() + claimAhead) - inFlight.get();
    }

    int limit() {
        return adaptive == null ? config.concurrency() : adaptive.limit();
    }

    int maxPerTenant() {
        return tenants == null ? Integer.MAX_VALUE : config.maxPerTenant();
    }

    void acquired(String tenant) {
        inFlight.incrementAndGet();
        if (tenants != null && tenant != null) {
            tenants.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
        }
    }

    void released(String tenant) {
        inFlight.decrementAndGet();
        if (tenants != null && tenant != null) {
            AtomicInteger n = tenants.get(tenant);
            if (n != null) {
                n.decrementAndGet();
            }
        }
    }

    /** Jobs held per tenant right now, for a claim request. */
    Map<String, Integer> tenantInFlight() {
        if (tenants == null || tenants.isEmpty()) {
            return Map.of();
        }
        Map<String, Integer> snapshot = new HashMap<>();
        tenants.forEach((tenant, n) -> {
            int v = n.get();
            if (v > 0) {
                snapshot.put(tenant, v);
            }
        });
        return snapshot;
    }
}
