package dev.sluice.redis;

import dev.sluice.store.JobStore;
import dev.sluice.store.contract.JobStoreContract;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Clock;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * The whole contract kit on a one-node Redis Cluster (all 16384 slots on one server of its own). In cluster mode
 * Redis checks every key a script touches: one outside the slot of the script's declared key fails the call
 * ("Script attempted to access keys that do not hash to the same slot"). Every script declares one key, the
 * store's base "{prefix}", and builds all others from it; this run shows that none strays from its slot, through
 * every path the kit drives (graphs, cascades, purge, leases, nodes, history included).
 */
class ClusterSlotContractTest extends JobStoreContract {

    private static RedisServerProcess server;
    private static RedisClient client;

    @BeforeAll
    static void startOneNodeCluster() {
        server = RedisServerProcess.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf");
        client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> admin = client.connect()) {
            admin.sync().clusterAddSlotsRange(Range.create(0, 16383));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (StatefulRedisConnection<String, String> admin = client.connect()) {
                return admin.sync().clusterInfo().contains("cluster_state:ok");
            }
        });
    }

    @AfterAll
    static void stopCluster() {
        client.shutdown();
        server.close();
    }

    @Override
    protected JobStore newStore(Clock clock, Duration agingStep) {
        return RedisJobStore.builder().client(client).keyPrefix(TestRedis.freshPrefix()).clock(clock)
                .agingStep(agingStep).pollInterval(Duration.ofMillis(200)).build();
    }

    @Override
    protected void closeStore(JobStore store) {
        store.close();
    }
}
