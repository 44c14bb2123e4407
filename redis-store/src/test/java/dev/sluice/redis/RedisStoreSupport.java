package dev.sluice.redis;

import dev.sluice.store.JobStore;
import dev.sluice.store.contract.StoreContractSupport;

import java.time.Clock;
import java.time.Duration;

/** The contract kit's fixture on Redis stores (fresh prefixes, keys deleted after each test), for own tests. */
abstract class RedisStoreSupport extends StoreContractSupport {

    @Override
    protected JobStore newStore(Clock clock, Duration agingStep) {
        return TestRedis.newStore(clock, agingStep);
    }

    @Override
    protected void closeStore(JobStore store) {
        TestRedis.closeStore(store);
    }
}
