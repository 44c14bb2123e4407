package dev.sluice.cache;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Opts a job type into the result cache: when a job of the type reaches a worker and a result is cached under
 * its key, the job ends SUCCEEDED with that result and its handler is not called. A successful attempt puts
 * its result in the cache. The key is the job type plus, by default, the SHA-256 of the payload's encoded bytes;
 * {@link Builder#keyFunction} replaces the second part. The cache lives in this node's memory (Caffeine), bounded
 * by size and time to live. Immutable and thread-safe.
 *
 * <p>Only cache types whose handler is a function of its payload: a cached result is served for any later job
 * with the same key until it expires.
 */
public final class ResultCacheConfig {

    private final long maxEntries;
    private final Duration timeToLive;
    private final Function<Object, String> keyFunction;

    private ResultCacheConfig(Builder b) {
        this.maxEntries = b.maxEntries;
        this.timeToLive = b.timeToLive;
        this.keyFunction = b.keyFunction;
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

    /** The key function over the decoded payload, or null for the SHA-256 of the payload bytes. */
    public Function<Object, String> keyFunction() {
        return keyFunction;
    }

    @Override
    public String toString() {
        return "ResultCacheConfig{maxEntries=" + maxEntries + ", timeToLive=" + timeToLive
                + (keyFunction != null ? ", keyFunction" : ", key=sha256(payload)") + '}';
    }

    /** Builds a {@link ResultCacheConfig}; {@link #build()} throws {@link IllegalArgumentException} naming a bad value. */
    public static final class Builder {
        private long maxEntries = 100;
        private Duration timeToLive = Duration.ofMinutes(1);
        private Function<Object, String> keyFunction;

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

        /** @throws IllegalArgumentException naming the first bad field and its value */
        public ResultCacheConfig build() {
            if (maxEntries < 1) {
                throw new IllegalArgumentException("maxEntries must be >= 1 but was " + maxEntries);
            }
            if (timeToLive == null || timeToLive.isNegative() || timeToLive.isZero()) {
                throw new IllegalArgumentException("timeToLive must be a positive duration but was " + timeToLive);
            }
            return new ResultCacheConfig(this);
        }
    }
}
