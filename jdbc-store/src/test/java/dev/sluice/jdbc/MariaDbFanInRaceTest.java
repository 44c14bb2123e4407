package dev.sluice.jdbc;

import org.junit.jupiter.api.condition.DisabledIf;

import java.util.List;

/** The fan-in race on MariaDB: two pools, two stores, one table prefix. Skipped when no MariaDB answers. */
@DisabledIf(value = "dev.sluice.jdbc.TestDatabases#mariaDbMissing",
        disabledReason = "no MariaDB answers on 127.0.0.1:3306 (root, empty password, database test)")
class MariaDbFanInRaceTest extends FanInRaceTest {

    @Override
    JdbcJobStore[] openTwoNodes(List<AutoCloseable> toClose) {
        TwoNodes nodes = TwoNodes.open(TwoNodes.Server.MARIADB, "race", null);
        toClose.add(nodes);
        return nodes.stores();
    }
}
