package dev.sluice.jdbc;

import dev.sluice.store.JobStore;
import dev.sluice.store.contract.JobStoreContract;

import java.time.Clock;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;

/** The store contract kit on H2 in memory; each store gets a fresh schema, dropped after its test. */
class H2JobStoreContractTest extends JobStoreContract {

    private final Map<JobStore, String> schemas = new IdentityHashMap<>();

    @Override
    protected JobStore newStore(Clock clock, Duration agingStep) {
        String schema = TestDatabases.uniqueName("t");
        JdbcJobStore store = JdbcJobStore.builder(TestDatabases.h2()).schema(schema).clock(clock)
                .agingStep(agingStep).createSchema(true).pollInterval(Duration.ofMillis(200)).build();
        schemas.put(store, schema);
        return store;
    }

    @Override
    protected void closeStore(JobStore store) {
        store.close();
        TestDatabases.execute(TestDatabases.h2(), "DROP SCHEMA \"" + schemas.remove(store) + "\" CASCADE");
    }
}
