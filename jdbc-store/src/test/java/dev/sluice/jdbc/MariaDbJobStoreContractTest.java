package dev.sluice.jdbc;

import dev.sluice.store.JobStore;
import dev.sluice.store.contract.JobStoreContract;
import org.junit.jupiter.api.condition.DisabledIf;

import java.time.Clock;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The store contract kit on MariaDB (database "test"); each store gets a fresh table prefix, its tables dropped
 * after its test. Skipped, with the reason in the report, when no MariaDB answers on 127.0.0.1:3306.
 */
@DisabledIf(value = "dev.sluice.jdbc.TestDatabases#mariaDbMissing",
        disabledReason = "no MariaDB answers on 127.0.0.1:3306 (root, empty password, database test)")
class MariaDbJobStoreContractTest extends JobStoreContract {

    private final Map<JobStore, String> prefixes = new IdentityHashMap<>();

    @Override
    protected JobStore newStore(Clock clock, Duration agingStep) {
        String prefix = TestDatabases.uniqueName("t") + "_";
        JdbcJobStore store = JdbcJobStore.builder(TestDatabases.mariaDb()).tablePrefix(prefix).clock(clock)
                .agingStep(agingStep).createSchema(true).pollInterval(Duration.ofMillis(200)).build();
        prefixes.put(store, prefix);
        return store;
    }

    @Override
    protected void closeStore(JobStore store) {
        store.close();
        TestDatabases.dropMariaDbTables(prefixes.remove(store));
    }
}
