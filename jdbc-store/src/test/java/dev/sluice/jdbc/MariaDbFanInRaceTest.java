package dev.sluice.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.condition.DisabledIf;

import java.util.List;

/** The fan-in race on MariaDB: two pools, two stores, one table prefix. Skipped when no MariaDB answers. */
@DisabledIf(value = "dev.sluice.jdbc.TestDatabases#mariaDbMissing",
        disabledReason = "no MariaDB answers on 127.0.0.1:3306 (root, empty password, database test)")
class MariaDbFanInRaceTest extends FanInRaceTest {

    private final String prefix = TestDatabases.uniqueName("race") + "_";

    @Override
    JdbcJobStore[] openTwoNodes(List<AutoCloseable> toClose) {
        toClose.add(() -> TestDatabases.dropMariaDbTables(prefix));
        JdbcJobStore[] nodes = new JdbcJobStore[2];
        for (int n = 0; n < 2; n++) {
            HikariDataSource pool = TestDatabases.newMariaDbPool("sluice-race-mariadb-" + n, 4);
            toClose.add(pool);
            nodes[n] = JdbcJobStore.builder(pool).tablePrefix(prefix).createSchema(true).build();
            toClose.add(nodes[n]);
        }
        return nodes;
    }
}
