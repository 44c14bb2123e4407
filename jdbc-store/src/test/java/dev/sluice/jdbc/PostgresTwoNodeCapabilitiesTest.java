package dev.sluice.jdbc;

import com.zaxxer.hikari.HikariDataSource;

import java.time.Clock;
import java.util.List;

/** The shared capabilities from two nodes on PostgreSQL: two pools, two stores, one fresh schema. */
class PostgresTwoNodeCapabilitiesTest extends TwoNodeCapabilitiesTest {

    private final String schema = TestDatabases.uniqueName("caps");

    @Override
    JdbcJobStore[] openTwoNodes(Clock clock, List<AutoCloseable> toClose) {
        toClose.add(() -> TestDatabases.execute(TestDatabases.postgres(),
                "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE"));
        JdbcJobStore[] nodes = new JdbcJobStore[2];
        for (int n = 0; n < 2; n++) {
            HikariDataSource pool = TestDatabases.newPostgresPool("sluice-caps-" + n, 4);
            toClose.add(pool);
            nodes[n] = JdbcJobStore.builder(pool).schema(schema).clock(clock).createSchema(true).build();
            toClose.add(nodes[n]);
        }
        return nodes;
    }

    @Override
    long rowsIn(String table) {
        return TestDatabases.queryLong(TestDatabases.postgres(),
                "SELECT count(*) FROM \"" + schema + "\".\"sluice_" + table + "\"");
    }
}
