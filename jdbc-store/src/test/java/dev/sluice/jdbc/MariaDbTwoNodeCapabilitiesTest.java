package dev.sluice.jdbc;

import org.junit.jupiter.api.condition.DisabledIf;

/** The shared capabilities from two nodes on MariaDB. Skipped when no MariaDB answers. */
@DisabledIf(value = "dev.sluice.jdbc.TestDatabases#mariaDbMissing",
        disabledReason = "no MariaDB answers on 127.0.0.1:3306 (root, empty password, database test)")
class MariaDbTwoNodeCapabilitiesTest extends TwoNodeCapabilitiesTest {

    @Override
    TwoNodes.Server server() {
        return TwoNodes.Server.MARIADB;
    }
}
