package dev.sluice.jdbc;

import com.zaxxer.hikari.HikariDataSource;

import java.util.List;

/** The fan-in race on H2 in memory: two pools on one database, as two stores in one JVM. */
class H2FanInRaceTest extends FanInRaceTest {

    private final String schema = TestDatabases.uniqueName("race");

    @Override
    JdbcJobStore[] openTwoNodes(List<AutoCloseable> toClose) {
        toClose.add(() -> TestDatabases.execute(TestDatabases.h2(), "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE"));
        JdbcJobStore[] nodes = new JdbcJobStore[2];
        for (int n = 0; n < 2; n++) {
            HikariDataSource pool = TestDatabases.newH2Pool("sluice-race-h2-" + n, 4);
            toClose.add(pool);
            nodes[n] = JdbcJobStore.builder(pool).schema(schema).createSchema(true).build();
            toClose.add(nodes[n]);
        }
        return nodes;
    }
}
