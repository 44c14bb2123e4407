package dev.sluice.redis;

import dev.sluice.store.ResultCacheStore.CachedResult;
import dev.sluice.store.SharedRateLimits.PermitGrant;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The shared result cache and shared rate limits across two stores on one prefix (two connections, as two nodes),
 * on the kit's clock and on Redis's own clock (TIME), which is what production uses. What the contract kit checks
 * on one store is not repeated here.
 */
class RedisCapabilitiesTest extends RedisStoreSupport {

    private static final int THREADS_PER_STORE = 4;

    private final List<RedisJobStore> extraStores = new ArrayList<>();
    private final List<String> extraPrefixes = new ArrayList<>();

    @AfterEach
    void closeExtraStores() {
        extraStores.forEach(RedisJobStore::close);
        extraPrefixes.forEach(TestRedis::deleteKeys);
    }

    /** The fixture's store and a second one on its prefix and clock: two nodes. */
    private RedisJobStore[] twoNodesOnTheKitsClock() {
        RedisJobStore first = (RedisJobStore) store;
        return new RedisJobStore[] {first, open(prefixOf(first), true)};
    }

    /** Two stores on a fresh prefix that read Redis's TIME. */
    private RedisJobStore[] twoNodesOnRedisClock() {
        String prefix = TestRedis.freshPrefix();
        extraPrefixes.add(prefix);
        return new RedisJobStore[] {open(prefix, false), open(prefix, false)};
    }

    private RedisJobStore open(String prefix, boolean kitsClock) {
        RedisJobStore opened = RedisJobStore.builder().client(TestRedis.client()).keyPrefix(prefix)
                .clock(kitsClock ? clock : null).build();
        extraStores.add(opened);
        return opened;
    }

    private static String prefixOf(RedisJobStore store) {
        String base = store.keyBase();
        return base.substring(1, base.length() - 1);
    }

    // ---------------------------------------------------------------- shared rate limits

    @Test
    void twoStoresRacingForOneLimitGrantExactlyTheLimitInEachWindow() throws Exception {
        RedisJobStore[] nodes = twoNodesOnTheKitsClock();
        for (int window = 0; window < 3; window++) {
            ConcurrentLinkedQueue<PermitGrant> grants = race(nodes, "queue:api", 3, 50, 1000);

            assertThat(grants).allSatisfy(grant -> {
                assertThat(grant.granted()).isBetween(0, 3);
                assertThat(grant.millisLeftInWindow()).isEqualTo(1000);
            });
            assertThat(grants.stream().mapToInt(PermitGrant::granted).sum()).as("window " + window).isEqualTo(50);
            clock.advanceMillis(1000);
        }
    }

    @Test
    void onRedisClockTwoStoresRacingGrantExactlyTheLimitInAWindow() throws Exception {
        RedisJobStore[] nodes = twoNodesOnRedisClock();
        long period = 60_000;
        for (int attempt = 0; ; attempt++) {
            long before = redisMillis();
            ConcurrentLinkedQueue<PermitGrant> grants = race(nodes, "type:fetch-" + attempt, 2, 30, period);
            long after = redisMillis();
            if (before / period != after / period) {
                // the race straddled a window's end, where the limit applies to each side: race again
                assertThat(attempt).as("races that straddled a window's end").isLessThan(3);
                continue;
            }
            assertThat(grants.stream().mapToInt(PermitGrant::granted).sum()).isEqualTo(30);
            long left = period - after % period;
            assertThat(grants).allSatisfy(grant ->
                    assertThat(grant.millisLeftInWindow()).isBetween(left, period - before % period));
            return;
        }
    }

    @Test
    void aLimitsKeyExpiresAfterItsWindow() {
        RedisJobStore[] nodes = twoNodesOnRedisClock();
        nodes[0].takePermits("queue:short", 1, 5, 300);

        try (StatefulRedisConnection<String, String> admin = TestRedis.client().connect()) {
            String key = '{' + prefixOf(nodes[0]) + "}rate:queue:short";
            // -2 (gone) when the take fell at the very end of its window
            assertThat(admin.sync().pttl(key)).as("PTTL").isNotEqualTo(-1L).isLessThanOrEqualTo(300L);
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.sync().exists(key) == 0);
        }
    }

    /** Each of the two stores' threads takes {@code wanted} permits 10 times, all starting together. */
    private static ConcurrentLinkedQueue<PermitGrant> race(RedisJobStore[] nodes, String name, int wanted, int limit,
                                                           long period) throws Exception {
        ConcurrentLinkedQueue<PermitGrant> grants = new ConcurrentLinkedQueue<>();
        concurrently(nodes.length * THREADS_PER_STORE, thread -> {
            RedisJobStore node = nodes[thread % nodes.length];
            for (int i = 0; i < 10; i++) {
                grants.add(node.takePermits(name, wanted, limit, period));
            }
            return null;
        });
        return grants;
    }

    // ---------------------------------------------------------------- shared result cache

    @Test
    void aResultCachedByOneStoreIsReadByAnother() {
        RedisJobStore[] nodes = twoNodesOnTheKitsClock();
        nodes[0].saveCachedResult("summarize", "doc-1", bytes("summary"), 60_000);
        nodes[0].saveCachedResult("summarize", "doc-null", null, 60_000);
        nodes[0].saveCachedResult("summarize", "doc-empty", new byte[0], 60_000);

        assertThat(text(nodes[1].findCachedResult("summarize", "doc-1"))).isEqualTo("summary");
        assertThat(nodes[1].findCachedResult("summarize", "doc-null")).as("a null result is a hit")
                .hasValueSatisfying(hit -> assertThat(hit.bytes()).isNull());
        assertThat(nodes[1].findCachedResult("summarize", "doc-empty")).as("no bytes is not null")
                .hasValueSatisfying(hit -> assertThat(hit.bytes()).isEmpty());

        clock.advanceMillis(60_000);
        assertThat(nodes[1].findCachedResult("summarize", "doc-1")).isEmpty();
        assertThat(nodes[1].findCachedResult("summarize", "doc-null")).isEmpty();
    }

    @Test
    void aStoreOnItsOwnClockStillLetsRedisFreeEntriesAMinuteAfterTheirTime() {
        RedisJobStore[] nodes = twoNodesOnTheKitsClock();
        nodes[0].saveCachedResult("summarize", "doc-1", bytes("summary"), 5_000);

        assertThat(keysOf(nodes[0], "cache:*")).as("the key layout")
                .containsExactly('{' + prefixOf(nodes[0]) + "}cache:summarize:" + sha256("doc-1"));
        try (StatefulRedisConnection<String, String> admin = TestRedis.client().connect()) {
            String key = keysOf(nodes[0], "cache:*").get(0);
            assertThat(admin.sync().pttl(key)).isBetween(5_001L, 65_000L);
        }
    }

    @Test
    void onRedisClockACachedResultIsServedToAnotherStoreUntilRedisExpiresIt() {
        RedisJobStore[] nodes = twoNodesOnRedisClock();
        nodes[0].saveCachedResult("summarize", "doc-1", bytes("summary"), 2_000);

        String key = '{' + prefixOf(nodes[0]) + "}cache:summarize:" + sha256("doc-1");
        try (StatefulRedisConnection<String, String> admin = TestRedis.client().connect()) {
            assertThat(admin.sync().pttl(key)).as("PTTL").isNotEqualTo(-1L).isLessThanOrEqualTo(2_000L);
            Optional<CachedResult> read = nodes[1].findCachedResult("summarize", "doc-1");
            // a slow test may get here after the entry's time: a hit is asserted only if Redis still held it
            if (admin.sync().exists(key) == 1) {
                assertThat(text(read)).isEqualTo("summary");
            }
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    nodes[1].findCachedResult("summarize", "doc-1").isEmpty());
            assertThat(admin.sync().exists(key)).as("Redis dropped the key").isZero();
        }
    }

    @Test
    void cacheKeysAreTheCallersWhateverTheirCharacters() {
        String longest = "k*?[^%]{x}:\\.%a-".repeat(16); // 256 characters of Lua pattern and glob specials
        String beyond = "x".repeat(10_000);
        store().saveCachedResult("a:b", "c", bytes("type a:b, key c"), 60_000);
        store().saveCachedResult("a", "b:c", bytes("type a, key b:c"), 60_000);
        store().saveCachedResult("summarize", longest, bytes("longest"), 60_000);
        store().saveCachedResult("summarize", "ключ ✓", bytes("unicode"), 60_000);
        store().saveCachedResult("summarize", beyond, bytes("beyond the contract"), 60_000);

        assertThat(longest).hasSize(256);
        assertThat(text(store().findCachedResult("a:b", "c"))).isEqualTo("type a:b, key c");
        assertThat(text(store().findCachedResult("a", "b:c"))).isEqualTo("type a, key b:c");
        assertThat(text(store().findCachedResult("summarize", longest))).isEqualTo("longest");
        assertThat(text(store().findCachedResult("summarize", "ключ ✓"))).isEqualTo("unicode");
        assertThat(text(store().findCachedResult("summarize", beyond))).isEqualTo("beyond the contract");
        assertThat(store().findCachedResult("summarize", longest.substring(1))).isEmpty();
        assertThat(keysOf(store(), "cache:*")).allSatisfy(key -> assertThat(key.length()).isLessThan(100));
    }

    @Test
    void badTimesToLiveAndLimitsAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> store().saveCachedResult("summarize", "k", null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttlMillis")
                .hasMessageContaining("but was 0").hasMessageContaining("summarize");
        assertThatThrownBy(() -> store().takePermits("queue:api", 0, 5, 1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0, 5, 1000")
                .hasMessageContaining("queue:api");
        assertThatThrownBy(() -> store().takePermits("queue:api", 1, 5, Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Long.toString(Long.MAX_VALUE));
    }

    private RedisJobStore store() {
        return (RedisJobStore) store;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Optional<CachedResult> hit) {
        assertThat(hit).isPresent();
        return new String(hit.get().bytes(), StandardCharsets.UTF_8);
    }

    private static String sha256(String key) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(bytes(key)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static long redisMillis() {
        try (StatefulRedisConnection<String, String> admin = TestRedis.client().connect()) {
            List<String> time = admin.sync().time();
            return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
        }
    }

    /** The keys of a store that match a glob after its base. */
    private static List<String> keysOf(RedisJobStore store, String glob) {
        List<String> keys = new ArrayList<>();
        try (StatefulRedisConnection<String, String> admin = TestRedis.client().connect()) {
            RedisCommands<String, String> redis = admin.sync();
            ScanArgs match = ScanArgs.Builder.matches('{' + prefixOf(store) + '}' + glob).limit(1000);
            KeyScanCursor<String> page = redis.scan(match);
            keys.addAll(page.getKeys());
            while (!page.isFinished()) {
                page = redis.scan(page, match);
                keys.addAll(page.getKeys());
            }
        }
        return keys;
    }
}
