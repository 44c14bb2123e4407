package dev.sluice.redis;

import dev.sluice.store.contract.MutableClock;
import dev.sluice.store.contract.SharedRateLimitScenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Two engines, each on its own store and connection on one prefix, share a queue's limit marked
 * {@code acrossCluster()} through the store (the scenario is core's SharedRateLimitScenario, which RateLimitTest runs on the in-memory store). The
 * stores' clock stands still, so the window never ends and exactly the limit's starts happen across both
 * engines until the test moves the clock to the next window.
 */
@Timeout(90)
class ClusterRateLimitTest {


    private final String prefix = TestRedis.freshPrefix();
    private final List<RedisJobStore> stores = new ArrayList<>();

    @AfterEach
    void closeAndDeleteKeys() {
        stores.forEach(RedisJobStore::close);
        TestRedis.deleteKeys(prefix);
    }

    @Test
    void twoEnginesStartAtMostTheLimitPerWindowTogether() {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        for (int n = 0; n < 2; n++) {
            stores.add(RedisJobStore.builder().client(TestRedis.client()).keyPrefix(prefix).clock(clock)
                    .pollInterval(Duration.ofMillis(50)).build());
        }
        SharedRateLimitScenario.assertNodesShareOneLimit(stores, clock, 3);
    }
}
