package dev.sluice.cache;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Opts a job type into the result cache: when a job of the type reaches a worker and a result is cached under
 * its key, the job ends SUCCEEDED with that result and its handler is not called. A successful attempt puts
 * its result in the cache. The key is the job type plus, by default, the SHA-256 of the payload's encoded bytes;
 * {@link Builder#keyFunction} replaces the second part. Level 1 lives in this node's memory (Caffeine), bounded
 * by size and time to live. Level 2 lives in the store, shared by every node, with its own time to live (24 hours
 * by default), when the store implements {@link dev.sluice.store.ResultCacheStore} (the in-memory, JDBC and Redis
 * stores do): a level-1 miss asks the store, and a success is saved in both. Immutable and thread-safe.
 *
 * <p>Only cache types whose handler is a function of its payload: a cached result is served for any later job
 * with the same key until it expires.
 */
public final class ResultCacheConfig {

    private final long maxEntries;
    private final Duration timeToLive;
    private final Function<Object, String> keyFunction;
    private final Duration storeTimeToLive;

    private ResultCacheConfig(Builder b) {
        this.maxEntries = b.maxEntries;
        this.timeToLive = b.timeToLive;
        this.keyFunction = b.keyFunction;
        this.storeTimeToLive = b.storeTimeToLive;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** 100 entries, 1 minute, keyed by the payload's SHA-256. */
    public static ResultCacheConfig defaults() {
        return builder().build();
    }

    public long maxEntries() {
        return maxEntries;
    }

    public Duration timeToLive() {
        return timeToLive;
    }

    /** How long the store keeps a result (level 2); zero when level 2 is off. */
    public Duration storeTimeToLive() {
        return storeTimeToLive;
    }

    /** The key function over the decoded payload, or null for the SHA-256 of the payload bytes. */
    public Function<Object, String> keyFunction() {
        return keyFunction;
    }

    @Override
    public String toString() {
        return "ResultCacheConfig{maxEntries=" + maxEntries + ", timeToLive=" + timeToLive
                + ", storeTimeToLive=" + storeTimeToLive
                + (keyFunction != null ? ", keyFunction" : ", key=sha256(payload)") + '}';
    }

    /** Builds a {@link ResultCacheConfig}; {@link #build()} throws {@link IllegalArgumentException} naming a bad value. */
    public static final class Builder {
        private long maxEntries = 100;
        private Duration timeToLive = Duration.ofMinutes(1);
        private Function<Object, String> keyFunction;
        private Duration storeTimeToLive = Duration.ofHours(24);

        private Builder() {
        }

        /** Most results kept per job type (at least 1); the least useful are evicted first. Default 100. */
        public Builder maxEntries(long maxEntries) {
            this.maxEntries = maxEntries;
            return this;
        }

        /** How long a result is served after it was cached (positive). Default 1 minute. */
        public Builder timeToLive(Duration timeToLive) {
            this.timeToLive = timeToLive;
            return this;
        }

        /**
         * Computes the key from the decoded payload (it is given the payload object, or null). It must be fast,
         * must not return null, and two payloads with the same key must have the same result. A key function
         * that throws makes the job run uncached; the error is logged.
         */
        public Builder keyFunction(Function<Object, String> keyFunction) {
            this.keyFunction = Objects.requireNonNull(keyFunction, "keyFunction");
            return this;
        }

        /**
         * How long the store keeps a result for every node (level 2), when the store can. Zero turns level 2
         * off; otherwise at least 1 second. Default 24 hours.
         */
        public Builder storeTimeToLive(Duration storeTimeToLive) {
            this.storeTimeToLive = storeTimeToLive;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad field and its value */
        public ResultCacheConfig build() {
            if (maxEntries < 1) {
                throw new IllegalArgumentException("maxEntries must be >= 1 but was " + maxEntries);
            }
            if (timeToLive == null || timeToLive.isNegative() || timeToLive.isZero()) {
                throw new IllegalArgumentException("timeToLive must be a positive duration but was " + timeToLive);
            }
            if (storeTimeToLive == null || storeTimeToLive.isNegative()
                    || (!storeTimeToLive.isZero() && storeTimeToLive.compareTo(Duration.ofSeconds(1)) < 0)) {
                throw new IllegalArgumentException("storeTimeToLive must be zero (off) or at least 1 s but was "
                        + storeTimeToLive);
            }
            return new ResultCacheConfig(this);
        }
    }
}
