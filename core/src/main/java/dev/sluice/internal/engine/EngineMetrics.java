package dev.sluice.internal.engine;

import dev.sluice.JobId;
import dev.sluice.internal.observe.JobMeters;
import dev.sluice.internal.observe.NodeSample;
import dev.sluice.internal.observe.NodeSampler;
import dev.sluice.observe.AdaptiveConcurrency;
import dev.sluice.observe.ObservabilityConfig;
import dev.sluice.store.Completion;
import dev.sluice.store.EnqueueResult;
import dev.sluice.store.NewJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The engine's meters. Per-job meters are resolved once per (type, queue) into {@link JobMeters}: for every
 * registered type on every served queue when the engine is built, and on first sight (up to
 * {@link #MAX_PAIRS} pairs, then one {@code other} pair) for types or queues this node only submits to, so
 * the hot path does a map read and increments, never a registry lookup. No tag takes an unbounded value
 * (never a job id).
 */
final class EngineMetrics implements NodeSampler {

    private volatile Supplier<Set<String>> openBreakers;

    private static final Logger log = LoggerFactory.getLogger(EngineMetrics.class);
    static final int MAX_PAIRS = 500;
    static final int MAX_UNHANDLED_TYPES = 32;
    static final String OTHER = "other";

    final Counter staleCompletions;
    final Counter leasesRenewed;
    final Counter leasesLost;
    final Counter leasesRecovered;
    final Counter storeErrors;
    /** Completions the store kept refusing while it accepted other writes: recorded DEAD instead, or given up. */
    final Counter refusedCompletions;
    final Counter listenerErrors;
    final Clock clock;

    private final MeterRegistry registry;
    private final boolean timers;
    private final boolean histograms;
    private final Map<String, QueueWorkers> queues;
    private final Map<JobId, RunningJob> held;
    /** Handlers seen running, and when first seen; only the observer thread (in {@link #sample}) uses it. */
    private final Map<RunningJob, Long> runningSince = new IdentityHashMap<>();
    /** Workers this node runs at most: the engine's limit, or none on a producer-only node. */
    private final int workerLimit;
    /** Served queue to registered type to meters; built once, read without locks. */
    private final Map<String, Map<String, JobMeters>> known = new HashMap<>();
    private final ConcurrentHashMap<String, JobMeters> dynamic = new ConcurrentHashMap<>();
    private final List<JobMeters> all = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, Long> unhandled = new ConcurrentHashMap<>();
    private volatile JobMeters other;
    /** Null when adaptive concurrency is off. */
    final AdaptiveConcurrency adaptive;

    EngineMetrics(EngineSettings settings, Map<String, QueueWorkers> queues, Map<JobId, RunningJob> held,
                  Supplier<Number> inFlight) {
        this.registry = settings.meterRegistry;
        this.clock = settings.clock;
        this.queues = queues;
        this.held = held;
        this.workerLimit = settings.producerOnly ? 0 : settings.concurrency;
        ObservabilityConfig observe = settings.observability;
        this.timers = observe.jobTimers();
        this.histograms = observe.percentileHistograms();
        this.adaptive = observe.adaptiveConcurrency();
        for (String queue : settings.queues.keySet()) {
            Map<String, JobMeters> byType = new HashMap<>();
            for (String type : settings.handlers.keySet()) {
                JobMeters m = new JobMeters(registry, type, queue, timers, histograms);
                byType.put(type, m);
                all.add(m);
            }
            known.put(queue, byType);
        }
        staleCompletions = Counter.builder("sluice.completions.stale")
                .description("Completions refused because the lease was lost").register(registry);
        leasesRenewed = Counter.builder("sluice.leases.renewed").register(registry);
        leasesLost = Counter.builder("sluice.leases.lost").register(registry);
        leasesRecovered = Counter.builder("sluice.leases.recovered")
                .description("Expired leases of other (crashed) nodes taken back").register(registry);
        storeErrors = Counter.builder("sluice.store.errors").description("Store calls that threw").register(registry);
        refusedCompletions = Counter.builder("sluice.completions.refused")
                .description("Completions the store refused for good while it accepted other writes")
                .register(registry);
        listenerErrors = Counter.builder("sluice.listener.errors").register(registry);
        // Strong: the supplier is a lambda nothing else holds, and a gauge keeps only a weak reference by default.
        Gauge.builder("sluice.jobs.inflight", inFlight, s -> s.get().doubleValue()).strongReference(true)
                .description("Jobs this node holds: claimed, running or finishing").register(registry);
        Gauge.builder("sluice.jobs.active", this, m -> m.busyWorkers())
                .description("Jobs whose handler runs on this node now").register(registry);
    }

    /** The meters of the registered types on a served queue (read-only; for {@link QueueWorkers}). */
    Map<String, JobMeters> metersOf(String queue) {
        return known.getOrDefault(queue, Map.of());
    }

    MeterRegistry registry() {
        return registry;
    }

    /** The meters of any pair: pre-built ones first, then on first sight within the bound. */
    JobMeters meters(String type, String queue) {
        Map<String, JobMeters> byType = known.get(queue);
        JobMeters m = byType == null ? null : byType.get(type);
        return m != null ? m : dynamicMeters(type, queue);
    }

    private JobMeters dynamicMeters(String type, String queue) {
        String key = type + '\u0000' + queue;
        JobMeters m = dynamic.get(key);
        if (m != null) {
            return m;
        }
        if (dynamic.size() >= MAX_PAIRS) {
            return other();
        }
        return dynamic.computeIfAbsent(key, k -> {
            JobMeters created = new JobMeters(registry, type, queue, timers, histograms);
            all.add(created);
            return created;
        });
    }

    private synchronized JobMeters other() {
        if (other == null) {
            log.warn("more than {} (type, queue) pairs seen: further ones are counted under type and queue '{}'",
                    MAX_PAIRS, OTHER);
            other = new JobMeters(registry, OTHER, OTHER, timers, histograms);
            all.add(other);
        }
        return other;
    }

    /** Counts the jobs a submit stored (not the duplicates of unique keys). */
    void submitted(List<NewJob> jobs, List<EnqueueResult> results) {
        // Submits are mostly of one type and queue: one map read and one increment per run of equal pairs.
        JobMeters last = null;
        int run = 0;
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).duplicate()) {
                continue;
            }
            NewJob job = jobs.get(i);
            if (last == null || !last.type.equals(job.type()) || !last.queue.equals(job.queue())) {
                if (run > 0) {
                    last.submitted.increment(run);
                }
                last = meters(job.type(), job.queue());
                run = 0;
            }
            run++;
        }
        if (run > 0) {
            last.submitted.increment(run);
        }
    }

    /** A completion the store accepted. */
    void completed(RunningJob job, Completion.Outcome outcome) {
        job.queue.meters(job.claimed.type()).completed(outcome);
    }

    /** A job of a type with no handler here was claimed (it will fail and retry). */
    void unhandledType(String type) {
        if (unhandled.size() < MAX_UNHANDLED_TYPES || unhandled.containsKey(type)) {
            unhandled.put(type, System.nanoTime());
        }
    }

    int busyWorkers() {
        int busy = 0;
        for (QueueWorkers q : queues.values()) {
            busy += q.busyWorkers();
        }
        return busy;
    }

    @Override
    public NodeSample sample(long stuckAfterNanos, long recentNanos) {
        NodeSample.Builder b = NodeSample.builder();
        for (JobMeters m : all) {
            b.add(m);
        }
        long now = System.nanoTime();
        int busy = 0;
        int workers = 0;
        for (QueueWorkers q : queues.values()) {
            busy += q.busyWorkers();
            workers += q.config.concurrency();
        }
        List<NodeSample.StuckJob> stuck = new ArrayList<>();
        int stuckCount = 0;
        // Run time counts from the first sample that saw the handler running: it lags by up to one interval,
        // and costs the hot path nothing.
        Set<RunningJob> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (RunningJob job : held.values()) {
            if (job.isHandlerRunning()) {
                seen.add(job);
                long since = runningSince.computeIfAbsent(job, j -> now);
                if (now - since > stuckAfterNanos) {
                    stuckCount++;
                    stuck.add(new NodeSample.StuckJob(job.claimed.id().toString(), job.claimed.type(),
                            job.claimed.queue(), TimeUnit.NANOSECONDS.toMillis(now - since)));
                }
            }
        }
        runningSince.keySet().retainAll(seen);
        stuck.sort((a, c) -> Long.compare(c.runningMillis(), a.runningMillis()));
        Set<String> types = new HashSet<>();
        unhandled.forEach((type, lastSeen) -> {
            if (now - lastSeen <= recentNanos) {
                types.add(type);
            }
        });
        Supplier<Set<String>> breakers = openBreakers;
        return b.build(now, busy, Math.min(workers, workerLimit), stuck.subList(0, Math.min(5, stuck.size())),
                stuckCount, types, breakers == null ? Set.of() : breakers.get());
    }

    /** Where samples read the job types whose breaker is open; set once the guards exist. */
    void openBreakers(Supplier<Set<String>> openBreakers) {
        this.openBreakers = openBreakers;
    }
}
