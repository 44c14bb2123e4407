package dev.sluice.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.util.List;

/** The fan-in race on H2 in memory: two pools on one database, as two stores in one JVM. */
class H2FanInRaceTest extends FanInRaceTest {

    private final String schema = TestDatabases.uniqueName("race");

    @Override
    JdbcJobStore[] openTwoNodes(List<AutoCloseable> toClose) {
        toClose.add(() -> TestDatabases.execute(TestDatabases.h2(), "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE"));
        TestDatabases.h2(); // keeps the in-memory database open
        JdbcJobStore[] nodes = new JdbcJobStore[2];
        for (int n = 0; n < 2; n++) {
            HikariConfig config = new HikariConfig();
            config.setPoolName("sluice-race-h2-" + n);
            config.setJdbcUrl("jdbc:h2:mem:sluice_test;DB_CLOSE_DELAY=-1");
            config.setMaximumPoolSize(4);
            HikariDataSource pool = new HikariDataSource(config);
            toClose.add(pool);
            nodes[n] = JdbcJobStore.builder(pool).schema(schema).createSchema(true).build();
            toClose.add(nodes[n]);
        }
        return nodes;
    }
}
