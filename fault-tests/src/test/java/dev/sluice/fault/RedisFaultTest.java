package dev.sluice.fault;

import dev.sluice.fault.harness.RedisFixture;
import dev.sluice.fault.harness.StoreFixture;

/** The fault scenarios on the Redis store, on a redis-server of each run's own. */
class RedisFaultTest extends FaultScenarios {

    @Override
    StoreFixture newStore(String name) {
        return RedisFixture.start(name);
    }
}
