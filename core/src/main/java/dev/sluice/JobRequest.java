package dev.sluice;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What to run: a job type (the name its handler is registered under), a payload and how to schedule it.
 * Made by {@link #of} or {@link #builder}; {@link Builder#build()} validates every field and throws
 * {@link IllegalArgumentException} naming the bad value. Immutable and thread-safe.
 *
 * <p>The engine checks the rest when the request is submitted: that a handler is registered for the type
 * (on nodes that run handlers) and that the encoded payload fits {@code maxPayloadBytes}.
 */
public final class JobRequest {

    /** The queue a request goes to when none is named. */
    public static final String DEFAULT_QUEUE = "default";

    private final String type;
    private final Object payload;
    private final String queue;
    private final Priority priority;
    private final Instant runAt;
    private final Duration delay;
    private final int maxAttempts;
    private final Duration timeout;
    private final String uniqueKey;
    private final String tenant;
    private final UniqueScope uniqueScope;
    private final Duration uniqueFor;
    private final boolean failIfDuplicate;

    private JobRequest(Builder b) {
        this.type = b.type;
        this.payload = b.payload;
        this.queue = b.queue;
        this.priority = b.priority;
        this.runAt = b.runAt;
        this.delay = b.delay;
        this.maxAttempts = b.maxAttempts;
        this.timeout = b.timeout;
        this.uniqueKey = b.uniqueKey;
        this.tenant = b.tenant;
        this.uniqueScope = b.uniqueScope;
        this.uniqueFor = b.uniqueFor;
        this.failIfDuplicate = b.failIfDuplicate;
    }

    /** How long the unique key is held; {@link UniqueScope#UNTIL_FINISHED} unless set. */
    public UniqueScope uniqueScope() {
        return uniqueScope;
    }

    /** How long the unique key stays held after the job SUCCEEDED; zero by default. */
    public Duration uniqueFor() {
        return uniqueFor;
    }

    /** True when a duplicate submit throws {@link DuplicateJobException} instead of returning the holder. */
    public boolean failIfDuplicate() {
        return failIfDuplicate;
    }

    /** A request with defaults: queue "default", priority NORMAL, run now. */
    public static JobRequest of(String type, Object payload) {
        return builder(type).payload(payload).build();
    }

    public static Builder builder(String type) {
        return new Builder(type);
    }

    public String type() {
        return type;
    }

    /** The payload object, or null. */
    public Object payload() {
        return payload;
    }

    public String queue() {
        return queue;
    }

    public Priority priority() {
        return priority;
    }

    /** The absolute run-at time, or null. */
    public Instant runAt() {
        return runAt;
    }

    /** The delay from submission, or null. */
    public Duration delay() {
        return delay;
    }

    /** Attempts in all, or 0 for the job type's retry policy. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Time limit of one attempt, or null for the job type's default. */
    public Duration timeout() {
        return timeout;
    }

    /** Key that at most one live (not finished) job holds at a time, or null. */
    public String uniqueKey() {
        return uniqueKey;
    }

    /** Tenant for fairness, or null. */
    public String tenant() {
        return tenant;
    }

    @Override
    public String toString() {
        return "JobRequest{type='" + type + "', queue='" + queue + "', priority=" + priority
                + (runAt != null ? ", runAt=" + runAt : "") + (delay != null ? ", delay=" + delay : "")
                + (uniqueKey != null ? ", uniqueKey='" + uniqueKey + "'" : "")
                + (tenant != null ? ", tenant='" + tenant + "'" : "") + '}';
    }

    /** Builds a {@link JobRequest}. Not thread-safe. */
    public static final class Builder {
        private final String type;
        private Object payload;
        private String queue = DEFAULT_QUEUE;
        private Priority priority = Priority.NORMAL;
        private Instant runAt;
        private Duration delay;
        private int maxAttempts;
        private Duration timeout;
        private String uniqueKey;
        private UniqueScope uniqueScope = UniqueScope.UNTIL_FINISHED;
        private Duration uniqueFor = Duration.ZERO;
        private boolean failIfDuplicate;
        private String tenant;

        private Builder(String type) {
            this.type = type;
        }

        public Builder payload(Object payload) {
            this.payload = payload;
            return this;
        }

        /** Queue name matching {@code [a-z0-9_-]{1,64}}. Default "default". */
        public Builder queue(String queue) {
            this.queue = queue;
            return this;
        }

        public Builder priority(Priority priority) {
            this.priority = priority;
            return this;
        }

        /** Run no earlier than this instant. Exclusive with {@link #delay}. */
        public Builder runAt(Instant runAt) {
            this.runAt = runAt;
            return this;
        }

        /** Run no earlier than this long after submission; zero or positive. Exclusive with {@link #runAt}. */
        public Builder delay(Duration delay) {
            this.delay = delay;
            return this;
        }

        /** Attempts in all (at least 1), overriding the job type's retry policy. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1 but was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Time limit of one attempt; positive. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** At most one live job holds a unique key; a duplicate submit returns the holder's id. */
        public Builder uniqueKey(String uniqueKey) {
            this.uniqueKey = uniqueKey;
            return this;
        }

        /** A unique key held for the given scope (see {@link UniqueScope}). */
        public Builder uniqueKey(String uniqueKey, UniqueScope scope) {
            this.uniqueKey = uniqueKey;
            this.uniqueScope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /**
         * Keeps the unique key held for this long after the job SUCCEEDED ("no second report within an hour"); a
         * DEAD or CANCELLED job frees it at once. Zero or positive, at most 366 days. Default zero.
         */
        public Builder uniqueFor(Duration holdAfterSuccess) {
            this.uniqueFor = holdAfterSuccess;
            return this;
        }

        /** Makes a duplicate submit throw {@link DuplicateJobException} instead of returning the holder's id. */
        public Builder failIfDuplicate() {
            this.failIfDuplicate = true;
            return this;
        }

        /** Tenant for fairness: one tenant cannot take more than its share of a queue's workers. */
        public Builder tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad field and its value */
        public JobRequest build() {
            Names.requireType(type);
            Names.requireQueue(queue);
            Objects.requireNonNull(priority, "priority");
            if (runAt != null && delay != null) {
                throw new IllegalArgumentException("give runAt (" + runAt + ") or delay (" + delay
                        + "), not both");
            }
            if (delay != null && delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative but was " + delay);
            }
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("timeout must be positive but was " + timeout);
            }
            if (uniqueKey != null) {
                Names.requireText("uniqueKey", uniqueKey, Names.MAX_KEY_LENGTH);
            }
            if (uniqueFor == null || uniqueFor.isNegative() || uniqueFor.compareTo(Duration.ofDays(366)) > 0) {
                throw new IllegalArgumentException("uniqueFor must be between zero and 366 days but was "
                        + uniqueFor);
            }
            if (uniqueKey == null && (!uniqueFor.isZero() || uniqueScope != UniqueScope.UNTIL_FINISHED
                    || failIfDuplicate)) {
                throw new IllegalArgumentException("uniqueFor, a unique scope and failIfDuplicate need a uniqueKey");
            }
            if (tenant != null) {
                Names.requireText("tenant", tenant, Names.MAX_TYPE_LENGTH);
            }
            return new JobRequest(this);
        }
    }
}
