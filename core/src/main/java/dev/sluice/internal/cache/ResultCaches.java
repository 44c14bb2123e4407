package dev.sluice.internal.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sluice.cache.ResultCacheConfig;
import dev.sluice.store.ResultCacheStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The result caches of the job types that opted in, one Caffeine cache per type with its own size and time to
 * live. Thread-safe; one per engine. Hits, misses and evictions are counted per type.
 */
public final class ResultCaches {

    private static final Logger log = LoggerFactory.getLogger(ResultCaches.class);

    private final Map<String, TypeCache> byType = new HashMap<>();

    private final ResultCacheStore level2;

    /** @param store the engine's store: level 2 when it implements {@link ResultCacheStore} */
    public ResultCaches(Map<String, ResultCacheConfig> configs, MeterRegistry registry, Object store) {
        configs.forEach((type, config) -> byType.put(type, new TypeCache(type, config, registry)));
        this.level2 = store instanceof ResultCacheStore ? (ResultCacheStore) store : null;
    }

    public boolean isEmpty() {
        return byType.isEmpty();
    }

    /**
     * The cache key of a job of a cached type: its key function's value, or the SHA-256 of its payload bytes.
     *
     * @return the key, or null when the type is not cached or its key function failed (the job runs uncached)
     */
    public String keyOf(String type, byte[] payloadBytes, Object payload) {
        TypeCache cache = byType.get(type);
        if (cache == null) {
            return null;
        }
        if (cache.keyFunction == null) {
            return sha256(payloadBytes);
        }
        try {
            String key = cache.keyFunction.apply(payload);
            if (key == null) {
                throw new NullPointerException("key function returned null");
            }
            return key;
        } catch (RuntimeException e) {
            cache.keyErrors.increment();
            log.warn("result cache key function of job type '{}' failed; the job runs uncached", type, e);
            return null;
        }
    }

    /**
     * The cached result (whose bytes may be null: a handler that returned null), or null on a miss: from this
     * node's cache, else from the store's (one round trip), which then fills this node's.
     */
    public CachedResult lookup(String type, String key) {
        TypeCache cache = byType.get(type);
        CachedResult hit = cache.entries.getIfPresent(key);
        if (hit != null) {
            cache.hits.increment();
            return hit;
        }
        if (cache.storeTtlMillis > 0 && level2 != null) {
            try {
                Optional<ResultCacheStore.CachedResult> stored = level2.findCachedResult(type, key);
                if (stored.isPresent()) {
                    hit = new CachedResult(stored.get().bytes());
                    cache.entries.put(key, hit);
                    cache.storeHits.increment();
                    return hit;
                }
            } catch (RuntimeException e) {
                log.warn("result cache of job type '{}': the store lookup failed; the job runs", type, e);
            }
        }
        cache.misses.increment();
        return null;
    }

    /** Caches a result on this node and, when level 2 is on, in the store (a failure there is logged only). */
    public void put(String type, String key, byte[] result) {
        TypeCache cache = byType.get(type);
        cache.entries.put(key, new CachedResult(result));
        if (cache.storeTtlMillis > 0 && level2 != null) {
            try {
                level2.saveCachedResult(type, key, result, cache.storeTtlMillis);
            } catch (RuntimeException e) {
                log.warn("result cache of job type '{}': saving the result in the store failed", type, e);
            }
        }
    }

    /** Drops every cached result of the type. */
    public void invalidate(String type) {
        TypeCache cache = byType.get(type);
        if (cache != null) {
            cache.entries.invalidateAll();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return Base64.getEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(bytes == null ? new byte[0] : bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** A cached result; {@code bytes} is null when the handler returned null. */
    public record CachedResult(byte[] bytes) {
    }

    private static final class TypeCache {
        final Cache<String, CachedResult> entries;
        final java.util.function.Function<Object, String> keyFunction;
        final long storeTtlMillis;
        final Counter hits;
        final Counter storeHits;
        final Counter misses;
        final Counter evictions;
        final Counter keyErrors;

        TypeCache(String type, ResultCacheConfig config, MeterRegistry registry) {
            this.keyFunction = config.keyFunction();
            this.storeTtlMillis = config.storeTimeToLive().toMillis();
            this.hits = requests(registry, type, "hit");
            this.storeHits = requests(registry, type, "store_hit");
            this.misses = requests(registry, type, "miss");
            this.evictions = Counter.builder("sluice.cache.evictions").tag("type", type)
                    .description("Results dropped for size or age").register(registry);
            this.keyErrors = Counter.builder("sluice.cache.key.errors").tag("type", type)
                    .description("Key functions that threw; those jobs ran uncached").register(registry);
            this.entries = Caffeine.newBuilder()
                    .maximumSize(config.maxEntries())
                    .expireAfterWrite(config.timeToLive())
                    // Run maintenance on the calling thread: no stray tasks on the common pool from an engine.
                    .executor(Runnable::run)
                    .<String, CachedResult>removalListener((key, value, cause) -> {
                        if (cause.wasEvicted()) {
                            evictions.increment();
                        }
                    })
                    .build();
        }

        private static Counter requests(MeterRegistry registry, String type, String result) {
            return Counter.builder("sluice.cache.requests").tag("type", type).tag("result", result)
                    .description("Result cache lookups of jobs that reached a worker").register(registry);
        }
    }
}
