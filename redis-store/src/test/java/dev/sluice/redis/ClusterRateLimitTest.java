package dev.sluice.redis;

import dev.sluice.JobRequest;
import dev.sluice.QueueConfig;
import dev.sluice.Sluice;
import dev.sluice.resilience.RateLimit;
import dev.sluice.store.contract.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * Two engines, each on its own store and connection on one prefix, share a queue's limit marked
 * {@code acrossCluster()} through the store (core's RateLimitTest runs the same on the in-memory store). The
 * stores' clock stands still, so the window never ends and exactly the limit's starts happen across both
 * engines until the test moves the clock to the next window.
 */
@Timeout(90)
class ClusterRateLimitTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final String prefix = TestRedis.freshPrefix();
    private final List<Sluice> engines = new ArrayList<>();
    private final List<RedisJobStore> stores = new ArrayList<>();

    @AfterEach
    void closeAndDeleteKeys() {
        engines.forEach(Sluice::close);
        stores.forEach(RedisJobStore::close);
        TestRedis.deleteKeys(prefix);
    }

    @Test
    void twoEnginesStartAtMostTheLimitPerWindowTogether() {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        AtomicInteger started = new AtomicInteger();
        RateLimit sixPerSecond = RateLimit.of(6, Duration.ofSeconds(1)).acrossCluster();
        for (int n = 0; n < 2; n++) {
            RedisJobStore store = RedisJobStore.builder().client(TestRedis.client()).keyPrefix(prefix).clock(clock)
                    .pollInterval(Duration.ofMillis(50)).build();
            stores.add(store);
            engines.add(Sluice.builder().store(store).clock(clock).nodeId("node-" + n)
                    .drainTimeout(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .queue(QueueConfig.of("api", 4))
                    .handler("call", String.class, (p, ctx) -> {
                        started.incrementAndGet();
                        return null;
                    })
                    .queueRateLimit("api", sixPerSecond)
                    .build().start());
        }
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(JobRequest.builder("call").queue("api").payload("c" + i).build());
        }
        engines.get(0).submitAll(requests);

        await().atMost(PATIENCE).until(() -> started.get() == 6);
        await().during(Duration.ofMillis(400)).atMost(PATIENCE).until(() -> started.get() == 6);
        clock.advance(Duration.ofSeconds(1));
        await().atMost(PATIENCE).until(() -> started.get() == 12);
        await().during(Duration.ofMillis(400)).atMost(PATIENCE).until(() -> started.get() == 12);
        clock.advance(Duration.ofSeconds(1));
        await().atMost(PATIENCE).until(() -> started.get() == 18);
        await().during(Duration.ofMillis(400)).atMost(PATIENCE).until(() -> started.get() == 18);
    }
}
