package dev.sluice.benchmarks;

import dev.sluice.redis.RedisJobStore;
import dev.sluice.store.JobStore;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.util.List;

/**
 * {@code RedisJobStore} on the local Redis ({@code -Dsluice.bench.redis.uri}, default
 * {@code redis://127.0.0.1:6379}) under a key prefix of its own, {@code sluice-bench-<random>:}. Emptying and
 * closing delete that prefix's keys (SCAN + UNLINK), never anything else: the server may be shared.
 */
final class RedisBenchStore implements BenchStore {

    private final RedisClient client;
    private final String prefix;
    private boolean closed;

    RedisBenchStore() {
        this(System.getProperty("sluice.bench.redis.uri", "redis://127.0.0.1:6379"), "sluice-bench-");
    }

    /** On the Redis at {@code uri}, under the prefix {@code <name><random>:}. */
    RedisBenchStore(String uri, String name) {
        this.client = RedisClient.create(uri);
        this.prefix = name + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + ":";
    }

    /** The key prefix: every key of the stores made here starts with "{prefix}". */
    String prefix() {
        return prefix;
    }

    /** The client the stores are made from (closed by {@link #close}). */
    RedisClient client() {
        return client;
    }

    @Override
    public JobStore newStore() {
        return RedisJobStore.builder().client(client).keyPrefix(prefix).build();
    }

    @Override
    public boolean empty() {
        deleteKeys();
        return true;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            deleteKeys();
            client.shutdown();
        }
    }

    private void deleteKeys() {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            // The store puts every key under the hash tag "{prefix}"; the prefix has no glob characters.
            ScanArgs match = ScanArgs.Builder.matches("{" + prefix + "}*").limit(1000);
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, match);
                List<String> keys = page.getKeys();
                if (!keys.isEmpty()) {
                    redis.unlink(keys.toArray(new String[0]));
                }
                cursor = page;
            } while (!cursor.isFinished());
        }
    }
}
