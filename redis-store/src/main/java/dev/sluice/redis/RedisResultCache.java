package dev.sluice.redis;

import dev.sluice.store.ResultCacheStore.CachedResult;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The shared result cache of {@link RedisJobStore} (cache_save.lua, cache_find.lua): one string per (type, key)
 * named {@code {p}cache:<type>:<SHA-256 of the key>}, holding its expiry on the store's clock and the result, with
 * a PX so that Redis frees it. The key is hashed so that an entry's name has a bounded size whatever the caller's
 * key, and cannot be read as another (type, key): the digest has a fixed length and no ':'.
 */
final class RedisResultCache {

    private final ScriptRunner scripts;
    private final Clock clock;

    RedisResultCache(ScriptRunner scripts, Clock clock) {
        this.scripts = scripts;
        this.clock = clock;
    }

    Optional<CachedResult> find(String type, String key) {
        List<Object> reply = scripts.runList(Script.CACHE_FIND, new Args(2).now(clock).add(entryName(type, key))
                .toArray());
        if (reply.isEmpty()) {
            return Optional.empty();
        }
        byte[] value = Replies.toBytes(reply.get(0));
        // 'n': the handler returned null (a hit); 'b' + the result's bytes, possibly none
        return Optional.of(new CachedResult(value[0] == 'n' ? null : Arrays.copyOfRange(value, 1, value.length)));
    }

    void save(String type, String key, byte[] result, long ttlMillis) {
        String name = entryName(type, key);
        if (ttlMillis <= 0 || ttlMillis > Args.MAX_DURATION_MILLIS) {
            throw new IllegalArgumentException("ttlMillis must be in 1.." + Args.MAX_DURATION_MILLIS + " (100 years) but was "
                    + ttlMillis + " (type '" + type + "')");
        }
        scripts.run(Script.CACHE_SAVE, new Args(5).now(clock).add(name).add(ttlMillis).flag(result != null)
                .add(result).toArray());
    }

    private static String entryName(String type, String key) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return type + ':' + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
