package dev.sluice;

import dev.sluice.cache.ResultCacheConfig;
import dev.sluice.graph.GraphHandle;
import dev.sluice.graph.GraphStatus;
import dev.sluice.graph.JobGraph;
import dev.sluice.internal.engine.EngineSettings;
import dev.sluice.internal.engine.JobEngine;
import dev.sluice.internal.graph.GraphStatusReader;
import dev.sluice.internal.graph.GraphSubmission;
import dev.sluice.internal.ops.AuditTrail;
import dev.sluice.internal.ops.Operations;
import dev.sluice.observe.Alert;
import dev.sluice.observe.HealthReport;
import dev.sluice.observe.ObservabilityConfig;
import dev.sluice.observe.ScalingAdvice;
import dev.sluice.ops.OperationsConfig;
import dev.sluice.ops.RecurringJob;
import dev.sluice.ops.SluiceAdmin;
import dev.sluice.resilience.BreakerConfig;
import dev.sluice.resilience.RateLimit;
import dev.sluice.store.JobStore;
import dev.sluice.store.StoreStats;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The job engine: submits jobs to a {@link JobStore} and, once {@link #start() started}, claims and runs them
 * on a worker pool with retries, timeouts and leases. Made by {@link #builder()}; thread-safe.
 *
 * <pre>{@code
 * Sluice sluice = Sluice.builder()
 *         .handler("send-email", String.class, (to, ctx) -> mailer.send(to))
 *         .build();
 * sluice.start();
 * JobId id = sluice.submit(JobRequest.of("send-email", "ada@example.com"));
 * JobInfo done = sluice.await(id, Duration.ofSeconds(10));
 * sluice.close();
 * }</pre>
 *
 * <p>Several engines (in several JVMs) that share a store form one cluster: each claims jobs under leases,
 * and a job whose node dies is taken back when its lease expires. Delivery is at-least-once.
 */
public final class Sluice implements AutoCloseable {

    private final JobEngine engine;
    private final Operations operations;

    private Sluice(JobEngine engine, Operations operations) {
        this.engine = engine;
        this.operations = operations;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts claiming and running jobs. Idempotent; a closed engine cannot start again. */
    public Sluice start() {
        engine.start();
        operations.start();
        return this;
    }

    /**
     * Stores one job.
     *
     * @return its id, or for a request whose unique key another job holds, that job's id
     * @throws DuplicateJobException when the key is held and the request asked to fail on a duplicate
     * @throws IllegalArgumentException naming the bad value (type without handler, payload too large...)
     * @throws StoreCapacityExceededException when the store is full; nothing was stored
     */
    public JobId submit(JobRequest request) {
        return engine.submitAll(List.of(request)).get(0);
    }

    /** Stores one job with the defaults of {@link JobRequest#of}. */
    public JobId submit(String type, Object payload) {
        return submit(JobRequest.of(type, payload));
    }

    /**
     * Stores many jobs in one store call, atomically: all of them or, when any request is bad or the store
     * refuses, none.
     *
     * @return the ids, in the order of the requests
     */
    public List<JobId> submitAll(List<JobRequest> requests) {
        return engine.submitAll(requests);
    }

    /**
     * Stores jobs inside a transaction the caller owns, for stores that support it (the JDBC store takes a
     * {@code java.sql.Connection} with auto-commit off): the jobs exist if and only if the caller commits, and
     * Sluice never commits or closes it. Validation is the same as {@link #submitAll(List)}. Listeners get no
     * SUBMITTED event, since the transaction may still roll back.
     *
     * @throws IllegalStateException when the store cannot take part in a caller's transaction
     * @throws IllegalArgumentException naming the bad value, or the transaction's wrong type
     */
    public List<JobId> submitAll(Object transaction, List<JobRequest> requests) {
        return engine.submitAll(transaction, requests);
    }

    /**
     * Stores a dependency graph in one store call, atomically: every job or, when a request is bad or the store
     * refuses, none. Parents are stored before their children; a job waits (WAITING) until its parents are done.
     * Each request is checked as by {@link #submitAll(List)}; the graph itself was checked when it was built.
     *
     * @return the ids by key
     * @throws IllegalArgumentException naming the graph job and its bad value, or an earlier job an edge names
     *                                  that the store does not have
     */
    public GraphHandle submit(JobGraph graph) {
        return GraphSubmission.submit(engine, graph);
    }

    /**
     * Where a submitted graph stands: jobs per state, percent done, the jobs that ended DEAD or CANCELLED. Reads
     * the graph's jobs from the store, a thousand ids per call.
     */
    public GraphStatus graphStatus(GraphHandle graph) {
        return GraphStatusReader.read(engine.store(), Objects.requireNonNull(graph, "graph"));
    }

    /** The job's current state, or empty when the store does not know it. */
    public Optional<JobInfo> find(JobId id) {
        return engine.find(id);
    }

    /** A page of jobs (for example the DEAD ones). */
    public List<JobInfo> list(JobQuery query) {
        return engine.list(query);
    }

    /**
     * Waits until the job reaches a terminal state.
     *
     * @return the job's info once SUCCEEDED, DEAD or CANCELLED
     * @throws SluiceTimeoutException when it has not finished within {@code timeout}
     * @throws IllegalArgumentException when no such job exists
     */
    public JobInfo await(JobId id, Duration timeout) throws InterruptedException {
        return engine.await(id, timeout);
    }

    /**
     * Cancels a job: at once when it waits; a running job is told through its {@link JobContext} and
     * interrupted (on another node, at that node's next lease renewal).
     *
     * @return true when the job was cancelled or cancellation was requested; false when it had finished or is unknown
     */
    public boolean cancel(JobId id) {
        return engine.cancel(id);
    }

    /** Puts a DEAD or CANCELLED job back to READY with fresh attempts; false when it is in another state. */
    public boolean retry(JobId id) {
        return engine.retry(id);
    }

    /** Changes the priority of a job that has not started; false when it has started or is unknown. */
    public boolean reprioritize(JobId id, Priority priority) {
        return engine.reprioritize(id, priority);
    }

    /** Stops every node from starting jobs of the queue; running ones finish. */
    public void pauseQueue(String queue) {
        engine.pauseQueue(Names.requireQueue(queue));
    }

    public void resumeQueue(String queue) {
        engine.resumeQueue(Names.requireQueue(queue));
    }

    /** Counts per queue and state, straight from the store. */
    public StoreStats stats() {
        return engine.stats();
    }

    /** This engine's node id, unique to the process (the lease owner it records). */
    public String nodeId() {
        return engine.nodeId();
    }

    /** True when workers run on virtual threads (asked for, and Java 21+). */
    public boolean usesVirtualThreads() {
        return engine.usesVirtualThreads();
    }

    /** Jobs this node holds right now (claimed, running or finishing). */
    public int jobsInFlight() {
        return engine.jobsInFlight();
    }

    public JobStore store() {
        return engine.store();
    }

    /** Operations on the whole cluster: bulk job control, queue drains, purges, flushes, the cluster view. */
    public SluiceAdmin admin() {
        return operations.admin();
    }

    /**
     * The health of this node and its store (see {@link HealthReport} for the checks and the score), from the
     * observer's latest round; computed at once when that is older than the refresh interval.
     */
    public HealthReport health() {
        return engine.health();
    }

    /** The alerts active now (each was told to the alert listeners when it started). */
    public List<Alert> activeAlerts() {
        return engine.activeAlerts();
    }

    /** The scaling advisor's latest advice for this node's workers; null on a producer-only node. */
    public ScalingAdvice scalingAdvice() {
        return engine.scalingAdvice();
    }

    /**
     * The state of a job type's circuit breaker on this node, or empty when the type has none. While it is OPEN
     * (or FORCED_OPEN), jobs of the type that reach this node's workers are deferred without using attempts.
     */
    public Optional<CircuitBreaker.State> breakerState(String type) {
        return engine.guards().jobTypeBreaker(type).map(CircuitBreaker::getState);
    }

    /**
     * A job type's circuit breaker on this node, or empty when the type has none: for its metrics, its event
     * publisher (state transitions) and manual control ({@code transitionToForcedOpenState()} pauses the type on
     * this node without using attempts; {@code reset()} closes it).
     */
    public Optional<CircuitBreaker> jobTypeBreaker(String type) {
        return engine.guards().jobTypeBreaker(type);
    }

    /**
     * Stops gracefully: stops claiming, hands unstarted claims back to the store at once, lets running jobs
     * finish (renewing their leases) up to the drain timeout, interrupts the rest, writes every pending
     * completion. Gives up the maintenance lease first, so that another node takes over at once. Idempotent.
     */
    @Override
    public void close() {
        operations.stop();
        engine.close();
        operations.finish();
    }

    /**
     * Builds a {@link Sluice}. Defaults are listed per method; {@link #build()} validates and throws
     * {@link IllegalArgumentException} naming the setting and the value.
     */
    public static final class Builder {
        private final EngineSettings.Builder settings = EngineSettings.builder();
        private final Map<String, RecurringJob> recurring = new LinkedHashMap<>();
        private OperationsConfig operations = OperationsConfig.defaults();

        private Builder() {
        }

        /** Where jobs live. Default: a new {@code InMemoryJobStore}, closed with the engine. */
        public Builder store(JobStore store) {
            settings.store(store);
            return this;
        }

        /** Turns payloads and results into bytes. Default {@link PayloadCodec#standard()}. */
        public Builder codec(PayloadCodec codec) {
            settings.codec(codec);
            return this;
        }

        /** Jobs running at once on this node over all queues. Default 8. */
        public Builder concurrency(int concurrency) {
            settings.concurrency(concurrency);
            return this;
        }

        /**
         * Jobs a node may claim beyond its free worker slots, so that workers never wait for a store round
         * trip. Such jobs hold leases while they wait and are handed back on close. Default 0: claims fetch
         * only as many jobs as there are free slots.
         */
        public Builder claimAhead(int jobs) {
            settings.claimAhead(jobs);
            return this;
        }

        /**
         * A queue this node serves, with its own concurrency. The queue "default" is always served, with the
         * engine's concurrency unless configured here.
         */
        public Builder queue(QueueConfig queue) {
            settings.queue(queue);
            return this;
        }

        /**
         * Registers the handler of a job type with the engine's default retry policy and no timeout.
         *
         * @param type        the type name jobs are submitted under
         * @param payloadType the class payloads are decoded to
         */
        public <P> Builder handler(String type, Class<P> payloadType, JobHandler<P> handler) {
            settings.handler(type, payloadType, handler, null, null);
            return this;
        }

        /**
         * Registers the handler of a job type with its own retry policy and attempt timeout (null for the
         * engine's defaults).
         */
        public <P> Builder handler(String type, Class<P> payloadType, JobHandler<P> handler,
                                   RetryPolicy retryPolicy, Duration timeout) {
            settings.handler(type, payloadType, handler, retryPolicy, timeout);
            return this;
        }

        /** The retry policy of types registered without one. Default {@link RetryPolicy#defaults()}. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            settings.retryPolicy(retryPolicy);
            return this;
        }

        /** The attempt timeout of jobs that give none. Default: none. */
        public Builder defaultTimeout(Duration timeout) {
            settings.defaultTimeout(timeout);
            return this;
        }

        public Builder listener(JobListener listener) {
            settings.listener(listener);
            return this;
        }

        /** Lease length; leases are renewed every third of it. Default 30 s. */
        public Builder leaseDuration(Duration leaseDuration) {
            settings.leaseDuration(leaseDuration);
            return this;
        }

        /** How often this node looks for expired leases of crashed nodes. Default 10 s. */
        public Builder recoveryInterval(Duration recoveryInterval) {
            settings.recoveryInterval(recoveryInterval);
            return this;
        }

        /** Longest idle wait of the dispatcher between claims when the store sends no wake-up. Default 1 s. */
        public Builder pollInterval(Duration pollInterval) {
            settings.pollInterval(pollInterval);
            return this;
        }

        /** How long {@link Sluice#close()} lets running jobs finish. Default 30 s. */
        public Builder drainTimeout(Duration drainTimeout) {
            settings.drainTimeout(drainTimeout);
            return this;
        }

        /** Completions written per store call at most. Default 512. */
        public Builder completionBatchSize(int size) {
            settings.completionBatchSize(size);
            return this;
        }

        /** Longest a completion waits for others to share its store call. Default 2 ms. */
        public Builder completionMaxDelay(Duration delay) {
            settings.completionMaxDelay(delay);
            return this;
        }

        /** Largest encoded payload accepted. Default 1 MiB. */
        public Builder maxPayloadBytes(int bytes) {
            settings.maxPayloadBytes(bytes);
            return this;
        }

        /** Run workers on virtual threads when the JVM has them (Java 21+); otherwise platform threads. */
        public Builder virtualThreads(boolean virtualThreads) {
            settings.virtualThreads(virtualThreads);
            return this;
        }

        /** This node's id; default a random id unique to the process. */
        public Builder nodeId(String nodeId) {
            settings.nodeId(nodeId);
            return this;
        }

        /**
         * A node that only submits: it starts no workers and accepts job types it has no handler for.
         * Default false: submitting an unregistered type is an error.
         */
        public Builder producerOnly(boolean producerOnly) {
            settings.producerOnly(producerOnly);
            return this;
        }

        /** The engine's clock (run-at times, events). Default UTC system clock. */
        public Builder clock(Clock clock) {
            settings.clock(clock);
            return this;
        }

        /** Where meters go. Default: a private SimpleMeterRegistry. */
        public Builder meterRegistry(MeterRegistry registry) {
            settings.meterRegistry(registry);
            return this;
        }

        /**
         * Meters, health thresholds, alert listeners and the scaling advisor, for example percentile histograms
         * on: {@code observability(ObservabilityConfig.builder().percentileHistograms(true).build())}.
         * Default {@link ObservabilityConfig#defaults()}.
         */
        public Builder observability(ObservabilityConfig config) {
            settings.observability(config);
            return this;
        }

        /**
         * Gives a job type a circuit breaker: each attempt's success or failure (retryable errors and timeouts;
         * cancellations and non-retryable errors judge nothing) is recorded on it, and while it is open the
         * type's jobs are deferred, keeping their attempts, while other types run on. Per node.
         */
        public Builder jobTypeBreaker(String type, BreakerConfig config) {
            settings.guards().typeBreaker(type, config);
            return this;
        }

        /** A circuit breaker that handlers reach through {@link JobContext#breaker(String)}; shared by all jobs. */
        public Builder namedBreaker(String name, BreakerConfig config) {
            settings.guards().namedBreaker(name, config);
            return this;
        }

        /** A resilience4j retry that handlers reach through {@link JobContext#retry(String)}. */
        public Builder namedRetry(String name, RetryConfig config) {
            settings.guards().namedRetry(name, config);
            return this;
        }

        /** Limits starts of a served queue's jobs on this node; jobs over it are deferred, not failed. */
        public Builder queueRateLimit(String queue, RateLimit limit) {
            settings.guards().queueRateLimit(queue, limit);
            return this;
        }

        /** Limits starts of a job type's jobs on this node; jobs over it are deferred, not failed. */
        public Builder jobTypeRateLimit(String type, RateLimit limit) {
            settings.guards().typeRateLimit(type, limit);
            return this;
        }

        /** Opts a job type into the result cache; see {@link ResultCacheConfig}. */
        public Builder resultCache(String type, ResultCacheConfig config) {
            settings.guards().resultCache(type, config);
            return this;
        }

        /**
         * A job submitted on a schedule (cron or interval); see {@link RecurringJob}. The cluster's maintenance
         * leader stores each fire once. Register the same recurring jobs on every node.
         */
        public Builder recurring(RecurringJob job) {
            Objects.requireNonNull(job, "recurring job");
            if (recurring.putIfAbsent(job.id(), job) != null) {
                throw new IllegalArgumentException("recurring job '" + job.id() + "' is registered twice");
            }
            return this;
        }

        /**
         * Leader election, node registry, retention, audit trail and admin batches. Default
         * {@link OperationsConfig#defaults()}: retention on (30 days / 1000 per type, DEAD 90 days), audit off.
         */
        public Builder operations(OperationsConfig config) {
            this.operations = Objects.requireNonNull(config, "operations");
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad setting */
        public Sluice build() {
            AuditTrail audit = operations.auditTrail() ? new AuditTrail(operations) : null;
            settings.transitions(audit);
            JobEngine engine = new JobEngine(settings.build());
            return new Sluice(engine, new Operations(engine, operations, new ArrayList<>(recurring.values()), audit));
        }
    }
}
