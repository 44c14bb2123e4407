package dev.sluice.internal.engine;

import dev.sluice.JobHandler;
import dev.sluice.JobListener;
import dev.sluice.JobRequest;
import dev.sluice.PayloadCodec;
import dev.sluice.QueueConfig;
import dev.sluice.RetryPolicy;
import dev.sluice.observe.ObservabilityConfig;
import dev.sluice.internal.resilience.GuardSettings;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.JobStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The engine's immutable configuration, validated when built (by {@code Sluice.Builder}). */
public final class EngineSettings {

    final JobStore store;
    final boolean ownsStore;
    final PayloadCodec codec;
    final int concurrency;
    final int claimAhead;
    final Map<String, QueueConfig> queues;
    final Map<String, RegisteredHandler> handlers;
    final RetryPolicy retryPolicy;
    final Duration defaultTimeout;
    final List<JobListener> listeners;
    final Duration leaseDuration;
    final Duration recoveryInterval;
    final Duration pollInterval;
    final Duration drainTimeout;
    final int completionBatchSize;
    final Duration completionMaxDelay;
    final int maxPayloadBytes;
    final boolean virtualThreads;
    final String nodeId;
    final boolean producerOnly;
    final Clock clock;
    final MeterRegistry meterRegistry;
    final ObservabilityConfig observability;
    final GuardSettings guards;
    final TransitionSink transitions;

    private EngineSettings(Builder b) {
        this.ownsStore = b.store == null;
        this.store = b.store != null ? b.store : InMemoryJobStore.builder().build();
        this.codec = b.codec;
        this.concurrency = b.concurrency;
        this.claimAhead = b.claimAhead;
        Map<String, QueueConfig> q = new LinkedHashMap<>();
        q.put(JobRequest.DEFAULT_QUEUE, QueueConfig.of(JobRequest.DEFAULT_QUEUE, b.concurrency));
        q.putAll(b.queues);
        this.queues = Collections.unmodifiableMap(q);
        this.handlers = Collections.unmodifiableMap(new LinkedHashMap<>(b.handlers));
        this.retryPolicy = b.retryPolicy;
        this.defaultTimeout = b.defaultTimeout;
        this.listeners = List.copyOf(b.listeners);
        this.leaseDuration = b.leaseDuration;
        this.recoveryInterval = b.recoveryInterval;
        this.pollInterval = b.pollInterval;
        this.drainTimeout = b.drainTimeout;
        this.completionBatchSize = b.completionBatchSize;
        this.completionMaxDelay = b.completionMaxDelay;
        this.maxPayloadBytes = b.maxPayloadBytes;
        this.virtualThreads = b.virtualThreads;
        this.nodeId = b.nodeId != null ? b.nodeId : newNodeId();
        this.producerOnly = b.producerOnly;
        this.clock = b.clock;
        this.meterRegistry = b.meterRegistry != null ? b.meterRegistry : new SimpleMeterRegistry();
        this.observability = b.observability;
        this.guards = b.builtGuards;
        this.transitions = b.transitions;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A node id unique to this process: the pid plus 48 random bits (never the host name alone). */
    private static String newNodeId() {
        long random = new SecureRandom().nextLong() & 0xFFFF_FFFF_FFFFL;
        return "node-" + ProcessHandle.current().pid() + "-" + Long.toHexString(random);
    }

    /** Collects settings for {@code Sluice.Builder}. */
    public static final class Builder {
        private JobStore store;
        private PayloadCodec codec = PayloadCodec.standard();
        private int concurrency = 8;
        private int claimAhead;
        private final Map<String, QueueConfig> queues = new LinkedHashMap<>();
        private final Map<String, RegisteredHandler> handlers = new LinkedHashMap<>();
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Duration defaultTimeout;
        private final List<JobListener> listeners = new ArrayList<>();
        private Duration leaseDuration = Duration.ofSeconds(30);
        private Duration recoveryInterval = Duration.ofSeconds(10);
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration drainTimeout = Duration.ofSeconds(30);
        private int completionBatchSize = 512;
        private Duration completionMaxDelay = Duration.ofMillis(2);
        private int maxPayloadBytes = 1024 * 1024;
        private boolean virtualThreads;
        private String nodeId;
        private boolean producerOnly;
        private Clock clock = Clock.systemUTC();
        private MeterRegistry meterRegistry;
        private ObservabilityConfig observability = ObservabilityConfig.defaults();
        private final GuardSettings.Builder guards = GuardSettings.builder();
        private GuardSettings builtGuards;
        private TransitionSink transitions;

        private Builder() {
        }

        /** Where state changes go (the audit trail); null, the default, records none. */
        public void transitions(TransitionSink transitions) {
            this.transitions = transitions;
        }

        /** Breakers, rate limits and result caches, collected here and checked against handlers and queues. */
        public GuardSettings.Builder guards() {
            return guards;
        }

        public void store(JobStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        public void codec(PayloadCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        public void concurrency(int concurrency) {
            this.concurrency = concurrency;
        }

        public void claimAhead(int claimAhead) {
            this.claimAhead = claimAhead;
        }

        public void queue(QueueConfig queue) {
            Objects.requireNonNull(queue, "queue");
            if (queues.containsKey(queue.name())) {
                throw new IllegalArgumentException("queue '" + queue.name() + "' is configured twice");
            }
            queues.put(queue.name(), queue);
        }

        @SuppressWarnings("unchecked")
        public <P> void handler(String type, Class<P> payloadType, JobHandler<P> handler, RetryPolicy retry,
                                Duration timeout) {
            // JobRequest's rules for type names apply to registrations too.
            JobRequest.builder(type).build();
            Objects.requireNonNull(payloadType, "payloadType of handler '" + type + "'");
            Objects.requireNonNull(handler, "handler of type '" + type + "'");
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("timeout of handler '" + type + "' must be positive but was "
                        + timeout);
            }
            if (handlers.containsKey(type)) {
                throw new IllegalArgumentException("a handler for job type '" + type + "' is already registered");
            }
            handlers.put(type, new RegisteredHandler(type, payloadType, (JobHandler<Object>) handler, retry,
                    timeout));
        }

        public void retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        }

        public void defaultTimeout(Duration timeout) {
            this.defaultTimeout = timeout;
        }

        public void listener(JobListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
        }

        public void leaseDuration(Duration leaseDuration) {
            this.leaseDuration = leaseDuration;
        }

        public void recoveryInterval(Duration recoveryInterval) {
            this.recoveryInterval = recoveryInterval;
        }

        public void pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public void drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
        }

        public void completionBatchSize(int completionBatchSize) {
            this.completionBatchSize = completionBatchSize;
        }

        public void completionMaxDelay(Duration completionMaxDelay) {
            this.completionMaxDelay = completionMaxDelay;
        }

        public void maxPayloadBytes(int maxPayloadBytes) {
            this.maxPayloadBytes = maxPayloadBytes;
        }

        public void virtualThreads(boolean virtualThreads) {
            this.virtualThreads = virtualThreads;
        }

        public void nodeId(String nodeId) {
            this.nodeId = nodeId;
        }

        public void producerOnly(boolean producerOnly) {
            this.producerOnly = producerOnly;
        }

        public void clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        public void meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
        }

        public void observability(ObservabilityConfig observability) {
            this.observability = Objects.requireNonNull(observability, "observability");
        }

        public EngineSettings build() {
            atLeast("concurrency", concurrency, 1);
            atLeast("claimAhead", claimAhead, 0);
            atLeast("completionBatchSize", completionBatchSize, 1);
            atLeast("maxPayloadBytes", maxPayloadBytes, 1);
            positive("leaseDuration", leaseDuration);
            if (leaseDuration.toMillis() < 100) {
                throw new IllegalArgumentException("leaseDuration must be at least 100 ms but was " + leaseDuration);
            }
            positive("recoveryInterval", recoveryInterval);
            positive("pollInterval", pollInterval);
            notNegative("drainTimeout", drainTimeout);
            notNegative("completionMaxDelay", completionMaxDelay);
            if (defaultTimeout != null) {
                positive("defaultTimeout", defaultTimeout);
            }
            if (nodeId != null && (nodeId.isBlank() || nodeId.length() > 128)) {
                throw new IllegalArgumentException("nodeId must be 1..128 non-blank characters but was '"
                        + nodeId + "'");
            }
            if (!producerOnly && handlers.isEmpty()) {
                throw new IllegalArgumentException("no handler registered: register one with handler(type, "
                        + "payloadClass, handler), or set producerOnly(true) for a node that only submits");
            }
            java.util.Set<String> served = new java.util.HashSet<>(queues.keySet());
            served.add(JobRequest.DEFAULT_QUEUE);
            builtGuards = guards.build(handlers.keySet(), served, producerOnly);
            return new EngineSettings(this);
        }

        private static void atLeast(String field, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(field + " must be >= " + min + " but was " + value);
            }
        }

        private static void positive(String field, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(field + " must be a positive duration but was " + value);
            }
        }

        private static void notNegative(String field, Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException(field + " must not be negative but was " + value);
            }
        }
    }
}
