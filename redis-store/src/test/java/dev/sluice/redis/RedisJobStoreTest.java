package dev.sluice.redis;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.NewJob;
import dev.sluice.store.QueueClaim;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What the Redis store adds to the contract: configuration, Redis's clock, scripts, keys and wake-ups. */
class RedisJobStoreTest {

    private final String prefix = TestRedis.freshPrefix();
    private final List<RedisJobStore> opened = new ArrayList<>();

    @AfterEach
    void closeAndDeleteKeys() {
        opened.forEach(RedisJobStore::close);
        TestRedis.deleteKeys(prefix);
    }

    private RedisJobStore open(RedisJobStore.Builder builder) {
        RedisJobStore store = builder.build();
        opened.add(store);
        return store;
    }

    private RedisJobStore open() {
        return open(RedisJobStore.builder().client(TestRedis.client()).keyPrefix(prefix));
    }

    private static NewJob job() {
        long now = System.currentTimeMillis();
        return new NewJob(JobId.next(), "test", "default", Priority.NORMAL, "p".getBytes(StandardCharsets.UTF_8), 0,
                1, 0, null, null, now);
    }

    private static List<ClaimedJob> claim(RedisJobStore store, int max) {
        return store.claim(new ClaimRequest("node", 30_000, max,
                List.of(new QueueClaim("default", max, Integer.MAX_VALUE, Map.of())))).jobs();
    }

    @Test
    void keyPrefixOutsideTheAllowedCharactersIsRefusedNamingIt() {
        for (String bad : new String[] {"", "has space", "brace{", "star*", "x".repeat(65)}) {
            assertThatThrownBy(() -> RedisJobStore.builder().client(TestRedis.client()).keyPrefix(bad).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyPrefix")
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void settingsOutOfRangeAreRefusedNamingTheField() {
        assertThatThrownBy(() -> RedisJobStore.builder().build())
                .hasMessageContaining("uri, client, clusterUri or clusterClient must be set");
        assertThatThrownBy(() -> RedisJobStore.builder().client(TestRedis.client()).agingStep(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agingStep");
        assertThatThrownBy(() -> RedisJobStore.builder().client(TestRedis.client()).pollInterval(Duration.ZERO)
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pollInterval");
        assertThatThrownBy(() -> RedisJobStore.builder().client(TestRedis.client()).retainFinished(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retainFinished");
    }

    @Test
    void withoutAClockTheStoreUsesRedisTime() {
        RedisJobStore store = open();
        long before = System.currentTimeMillis();
        store.enqueue(List.of(job()));

        ClaimedJob claimed = claim(store, 1).get(0);

        // Redis runs on this machine: its clock and ours agree to well within a few seconds
        assertThat(claimed.readyAtMillis()).isBetween(before - 5_000, System.currentTimeMillis() + 5_000);
        assertThat(claimed.leaseExpiresAtMillis() - claimed.readyAtMillis()).isBetween(25_000L, 35_000L);
    }

    @Test
    void scriptsAreLoadedAgainAfterRedisForgetsThem() {
        RedisJobStore store = open();
        try (StatefulRedisConnection<String, String> admin = TestRedis.client().connect()) {
            admin.sync().scriptFlush();
        }

        JobId id = store.enqueue(List.of(job())).get(0).id();

        assertThat(store.find(id)).get().extracting(j -> j.state()).isEqualTo(JobState.READY);
    }

    @Test
    void payloadLargerThanTheLimitIsRefusedAndNothingIsStored() {
        RedisJobStore store = open(RedisJobStore.builder().client(TestRedis.client()).keyPrefix(prefix)
                .maxPayloadBytes(4));
        NewJob small = job();
        NewJob large = new NewJob(JobId.next(), "big", "default", Priority.NORMAL, new byte[5], 0, 1, 0, null, null,
                0);

        assertThatThrownBy(() -> store.enqueue(List.of(small, large))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(large.id().toString()).hasMessageContaining("maxPayloadBytes");
        assertThat(store.find(small.id())).isEmpty();
    }

    @Test
    void everyKeyOfTheStoreStartsWithItsHashTaggedPrefix() {
        RedisJobStore store = open();
        store.enqueue(List.of(job(), job()));
        store.pauseQueue("other");
        claim(store, 1);

        try (StatefulRedisConnection<String, String> admin = TestRedis.client().connect()) {
            List<String> keys = admin.sync().keys("*" + prefix + "*");
            assertThat(keys).isNotEmpty().allSatisfy(key -> assertThat(key).startsWith("{" + prefix + "}"));
        }
    }

    @Test
    void subscriberOfOneNodeIsWokenByAnEnqueueOnAnotherThroughPubSub() throws Exception {
        // a poll interval of an hour: only a pub/sub message can wake the subscriber within the wait
        RedisJobStore listening = open(RedisJobStore.builder().client(TestRedis.client()).keyPrefix(prefix)
                .pollInterval(Duration.ofHours(1)));
        RedisJobStore producing = open();
        AtomicInteger calls = new AtomicInteger();

        try (AutoCloseable subscription = listening.subscribe(calls::incrementAndGet)) {
            producing.enqueue(List.of(job()));

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(calls).hasPositiveValue());
        }
    }
}
