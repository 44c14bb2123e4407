package dev.sluice.redis;

import dev.sluice.store.JobStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The Redis the tests use: the one answering on 127.0.0.1:6379 (dev and CI machines), else a redis-server from
 * the PATH started on a free loopback port in a temporary directory, without persistence, and stopped when the
 * JVM exits. Logs which one it uses.
 */
final class TestRedis {

    private static final Logger LOG = LoggerFactory.getLogger(TestRedis.class);
    private static RedisURI uri;
    private static RedisClient client;

    private TestRedis() {
    }

    static synchronized RedisURI uri() {
        if (uri == null) {
            uri = locate();
        }
        return uri;
    }

    /** One client shared by the tests (each store opens its own connections from it). */
    static synchronized RedisClient client() {
        if (client == null) {
            client = RedisClient.create(uri());
            RedisClient shared = client;
            Runtime.getRuntime().addShutdownHook(new Thread(shared::shutdown, "test-redis-client-shutdown"));
        }
        return client;
    }

    /** A fresh random key prefix: each test's keys are its own. */
    static String freshPrefix() {
        return "test-" + UUID.randomUUID().toString().substring(0, 13) + ":";
    }

    /** A store on a fresh key prefix, on the given clock and aging step, as the contract tests want it. */
    static RedisJobStore newStore(Clock clock, Duration agingStep) {
        return RedisJobStore.builder().client(client()).keyPrefix(freshPrefix()).clock(clock).agingStep(agingStep)
                .pollInterval(Duration.ofMillis(200)).build();
    }

    /** Closes a store made by {@link #newStore} and deletes its keys. */
    static void closeStore(JobStore store) {
        store.close();
        String base = ((RedisJobStore) store).keyBase();
        deleteKeys(base.substring(1, base.length() - 1));
    }

    /** Deletes every key of the store with this prefix (SCAN + UNLINK). */
    static void deleteKeys(String keyPrefix) {
        try (StatefulRedisConnection<String, String> connection = client().connect()) {
            RedisCommands<String, String> redis = connection.sync();
            ScanArgs match = ScanArgs.Builder.matches("{" + keyPrefix + "}*").limit(1000);
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

    private static RedisURI locate() {
        // -Dsluice.test.redis.port=N looks for Redis on another port (a port where none runs tries the fallback)
        int expected = Integer.getInteger("sluice.test.redis.port", 6379);
        if (RedisServerProcess.answers(expected)) {
            LOG.info("Tests use the Redis server at 127.0.0.1:{}", expected);
            return RedisURI.create("127.0.0.1", expected);
        }
        RedisServerProcess server = RedisServerProcess.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-redis-server-stop"));
        LOG.info("No Redis on 127.0.0.1:{}: tests use a redis-server from the PATH started on 127.0.0.1:{} in {}",
                expected, server.port(), server.dir());
        return server.uri();
    }
}
