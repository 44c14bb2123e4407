package dev.sluice.jdbc;

import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Two stores on one test's own tables, one pool each, as two nodes of a cluster would have: a fresh schema on
 * PostgreSQL and H2, a fresh table prefix on MariaDB. {@link #close()} closes both stores and pools and drops the
 * tables.
 */
final class TwoNodes implements AutoCloseable {

    enum Server { POSTGRESQL, MARIADB, H2 }

    private final Server server;
    /** The schema (PostgreSQL, H2) or the table prefix (MariaDB). */
    private final String name;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final JdbcJobStore[] stores = new JdbcJobStore[2];

    private TwoNodes(Server server, String kind, Clock clock) {
        this.server = server;
        this.name = TestDatabases.uniqueName(kind) + (server == Server.MARIADB ? "_" : "");
        toClose.add(this::dropTables);
        try {
            openStores(kind, clock);
        } catch (RuntimeException e) {
            try {
                close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private void openStores(String kind, Clock clock) {
        for (int n = 0; n < 2; n++) {
            String poolName = "sluice-" + kind + "-" + server.name().toLowerCase() + "-" + n;
            HikariDataSource pool = switch (server) {
                case POSTGRESQL -> TestDatabases.newPostgresPool(poolName, 4);
                case MARIADB -> TestDatabases.newMariaDbPool(poolName, 4);
                case H2 -> TestDatabases.newH2Pool(poolName, 4);
            };
            toClose.add(pool);
            JdbcJobStore.Builder builder = JdbcJobStore.builder(pool).clock(clock).createSchema(true);
            stores[n] = (server == Server.MARIADB ? builder.tablePrefix(name) : builder.schema(name)).build();
            toClose.add(stores[n]);
        }
    }

    /**
     * Opens two stores reading "now" from {@code clock}, or from the database when it is null.
     *
     * @param kind what the test is, for the names of the schema and the pools
     */
    static TwoNodes open(Server server, String kind, Clock clock) {
        return new TwoNodes(server, kind, clock);
    }

    JdbcJobStore[] stores() {
        return stores;
    }

    /** The schema of the tables (PostgreSQL, H2). */
    String schema() {
        return name;
    }

    /** How many rows one of the stores' tables holds, by its name without the prefix (e.g. "result_cache"). */
    long rowsIn(String table) {
        String qualified = server == Server.MARIADB
                ? "`" + name + table + "`"
                : "\"" + name + "\".\"sluice_" + table + "\"";
        return TestDatabases.queryLong(admin(), "SELECT count(*) FROM " + qualified);
    }

    private DataSource admin() {
        return switch (server) {
            case POSTGRESQL -> TestDatabases.postgres();
            case MARIADB -> TestDatabases.mariaDb();
            case H2 -> TestDatabases.h2();
        };
    }

    private void dropTables() {
        if (server == Server.MARIADB) {
            TestDatabases.dropMariaDbTables(name);
        } else {
            TestDatabases.execute(admin(), "DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE");
        }
    }

    @Override
    public void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }
}
