package dev.sluice.store;

import java.util.Optional;

/**
 * An optional store capability: the second level of the result cache, shared by every node on the store. A store
 * that implements it next to {@link JobStore} is used by engines whose cached job types have a store time to live
 * (see {@code ResultCacheConfig.Builder#storeTimeToLive}); a hit on any node skips the handler on every node.
 *
 * <p><b>Contract.</b> Thread-safe and shared like the store. An entry is served until {@code ttlMillis} after
 * it was saved, judged on the store's clock, and never after; a later save under the same (type, key) replaces
 * it. Expired entries are dropped by the store on its own (on read, by a server-side TTL, or in bounded sweeps),
 * so the cache does not grow without bound. Keys are the caller's: up to 256 characters.
 */
public interface ResultCacheStore {

    /** The result saved under (type, key) if it has not expired. */
    Optional<CachedResult> findCachedResult(String type, String key);

    /** Saves a result (null bytes: a handler that returned null) for {@code ttlMillis} (> 0). */
    void saveCachedResult(String type, String key, byte[] result, long ttlMillis);

    /**
     * A cached result.
     *
     * @param bytes the encoded result, or null when the handler returned null
     */
    record CachedResult(byte[] bytes) {
    }
}
