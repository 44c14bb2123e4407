package dev.sluice.redis;

import dev.sluice.store.JobStore;
import dev.sluice.store.contract.JobStoreContract;

import java.time.Clock;
import java.time.Duration;

/** The whole store contract kit against a real Redis, each store on a fresh key prefix deleted afterwards. */
class RedisJobStoreContractTest extends JobStoreContract {

    @Override
    protected JobStore newStore(Clock clock, Duration agingStep) {
        return RedisJobStore.builder().client(TestRedis.client()).keyPrefix(TestRedis.freshPrefix()).clock(clock)
                .agingStep(agingStep).pollInterval(Duration.ofMillis(200)).build();
    }

    @Override
    protected void closeStore(JobStore store) {
        store.close();
        String base = ((RedisJobStore) store).keyBase();
        TestRedis.deleteKeys(base.substring(1, base.length() - 1));
    }
}
