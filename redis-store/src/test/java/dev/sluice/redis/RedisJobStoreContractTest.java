package dev.sluice.redis;

import dev.sluice.store.JobStore;
import dev.sluice.store.contract.JobStoreContract;

import java.time.Clock;
import java.time.Duration;

/** The whole store contract kit against a real Redis, each store on a fresh key prefix deleted afterwards. */
class RedisJobStoreContractTest extends JobStoreContract {

    @Override
    protected JobStore newStore(Clock clock, Duration agingStep) {
        return TestRedis.newStore(clock, agingStep);
    }

    @Override
    protected void closeStore(JobStore store) {
        TestRedis.closeStore(store);
    }
}
