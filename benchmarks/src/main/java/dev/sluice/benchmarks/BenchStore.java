package dev.sluice.benchmarks;

import dev.sluice.store.JobStore;

/**
 * One store backend of the store benchmarks: makes stores on a namespace of its own (a fresh schema, a fresh key
 * prefix) and removes that namespace at the end. Chosen by name with {@link #named}.
 */
interface BenchStore extends AutoCloseable {

    /** A new store on this backend's namespace; the caller closes it. */
    JobStore newStore();

    /**
     * Removes every job from the namespace between iterations, with no store open on it being replaced. Returns
     * false when the backend cannot (the in-memory store): the caller then replaces its store instead.
     */
    boolean empty();

    /** Removes the namespace (schema, keys) and releases connections. Idempotent. */
    @Override
    void close();

    /**
     * The backend for a {@code -p store=} value: {@code memory}, {@code postgres} ({@code -Dsluice.bench.pg.url},
     * {@code -Dsluice.bench.pg.user}) or {@code redis} ({@code -Dsluice.bench.redis.uri}).
     *
     * @throws IllegalArgumentException naming the value when it is none of those
     */
    static BenchStore named(String name) {
        switch (name) {
            case "memory":
                return new MemoryBenchStore();
            case "postgres":
                return new PostgresBenchStore();
            case "redis":
                return new RedisBenchStore();
            default:
                throw new IllegalArgumentException("store must be memory, postgres or redis but was '" + name + "'");
        }
    }
}
