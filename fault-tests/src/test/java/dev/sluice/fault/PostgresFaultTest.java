package dev.sluice.fault;

import dev.sluice.fault.harness.PostgresFixture;
import dev.sluice.fault.harness.StoreFixture;

/** The fault scenarios on the JDBC store, on a PostgreSQL server of each run's own. */
class PostgresFaultTest extends FaultScenarios {

    @Override
    StoreFixture newStore(String name) {
        return PostgresFixture.start(name);
    }
}
