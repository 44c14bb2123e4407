package dev.sluice.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.condition.DisabledIf;

import java.time.Clock;
import java.util.List;

/** The shared capabilities from two nodes on MariaDB: two pools, two stores, one table prefix. */
@DisabledIf(value = "dev.sluice.jdbc.TestDatabases#mariaDbMissing",
        disabledReason = "no MariaDB answers on 127.0.0.1:3306 (root, empty password, database test)")
class MariaDbTwoNodeCapabilitiesTest extends TwoNodeCapabilitiesTest {

    private final String prefix = TestDatabases.uniqueName("caps") + "_";

    @Override
    JdbcJobStore[] openTwoNodes(Clock clock, List<AutoCloseable> toClose) {
        toClose.add(() -> TestDatabases.dropMariaDbTables(prefix));
        JdbcJobStore[] nodes = new JdbcJobStore[2];
        for (int n = 0; n < 2; n++) {
            HikariDataSource pool = TestDatabases.newMariaDbPool("sluice-caps-mariadb-" + n, 4);
            toClose.add(pool);
            nodes[n] = JdbcJobStore.builder(pool).tablePrefix(prefix).clock(clock).createSchema(true).build();
            toClose.add(nodes[n]);
        }
        return nodes;
    }

    @Override
    long rowsIn(String table) {
        return TestDatabases.queryLong(TestDatabases.mariaDb(), "SELECT count(*) FROM `" + prefix + table + "`");
    }
}
