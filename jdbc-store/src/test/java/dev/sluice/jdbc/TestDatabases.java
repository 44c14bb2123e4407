package dev.sluice.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The servers the tests run against, one pool each per test JVM: the local PostgreSQL (127.0.0.1:5432, db
 * "test", user "postgres") or, where none answers, an embedded one; the local MariaDB (127.0.0.1:3306, root, db
 * "test") when it answers; H2 in memory. Each run logs which server it used.
 */
final class TestDatabases {

    private static final Logger LOG = LoggerFactory.getLogger(TestDatabases.class);
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test";
    private static final String H2_URL = "jdbc:h2:mem:sluice_test;DB_CLOSE_DELAY=-1";
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);

    private static HikariDataSource postgres;
    private static String postgresUrl;
    private static EmbeddedPostgres embeddedPostgres;
    private static HikariDataSource mariaDb;
    private static boolean mariaDbProbed;
    private static HikariDataSource h2;

    private TestDatabases() {
    }

    /** A name unique in this run, e.g. for a schema or a table prefix: {@code t<run>_<n>_}. */
    static String uniqueName(String kind) {
        return kind + RUN + "_" + NAMES.incrementAndGet();
    }

    static synchronized DataSource postgres() {
        if (postgres == null) {
            postgres = newPostgresPool("sluice-test-pg", 16);
        }
        return postgres;
    }

    private static void locatePostgres() {
        if (postgresUrl == null) {
            if (answers("127.0.0.1", 5432)) {
                postgresUrl = "jdbc:postgresql://127.0.0.1:5432/test";
                LOG.info("PostgreSQL tests use the local server at {}", postgresUrl);
            } else {
                try {
                    embeddedPostgres = EmbeddedPostgres.builder().start();
                } catch (IOException e) {
                    throw new IllegalStateException("no PostgreSQL on 127.0.0.1:5432 and the embedded one did not "
                            + "start", e);
                }
                postgresUrl = "jdbc:postgresql://127.0.0.1:" + embeddedPostgres.getPort() + "/postgres";
                LOG.info("No PostgreSQL on 127.0.0.1:5432: PostgreSQL tests use an embedded server at {}",
                        postgresUrl);
            }
        }
    }

    /** Another pool on the same PostgreSQL (as another node would have). */
    static synchronized HikariDataSource newPostgresPool(String name, int size) {
        locatePostgres();
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(postgresUrl);
        config.setUsername("postgres");
        config.setMaximumPoolSize(size);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(config);
    }

    /** Another pool on the local MariaDB (as another node would have); call only when {@link #mariaDb()} answers. */
    static HikariDataSource newMariaDbPool(String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(MARIADB_URL);
        config.setUsername("root");
        config.setPassword("");
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    /** Another pool on the in-memory H2 database of {@link #h2()}, which it keeps open. */
    static HikariDataSource newH2Pool(String name, int size) {
        h2();
        return h2Pool(name, size);
    }

    private static HikariDataSource h2Pool(String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(H2_URL);
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    /** The one number a query answers, e.g. a count of rows. */
    static long queryLong(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }

    /** The local MariaDB, or null when none answers on 127.0.0.1:3306. */
    static synchronized DataSource mariaDb() {
        if (!mariaDbProbed) {
            mariaDbProbed = true;
            if (answers("127.0.0.1", 3306)) {
                try {
                    mariaDb = newMariaDbPool("sluice-test-mariadb", 16);
                    LOG.info("MariaDB tests use the local server at {}", MARIADB_URL);
                } catch (RuntimeException e) {
                    LOG.warn("MariaDB on 127.0.0.1:3306 refused the test login: {}", e.getMessage());
                }
            } else {
                LOG.warn("MariaDB tests are skipped: no server answers on 127.0.0.1:3306");
            }
        }
        return mariaDb;
    }

    /** The tables a store with this prefix made on MariaDB (V1 to V3 scripts). */
    static void dropMariaDbTables(String p) {
        StringBuilder tables = new StringBuilder();
        for (String table : List.of("job", "job_progress", "job_result", "queue_pause", "fencing_token", "job_edge",
                "job_wait", "job_history", "schedule_fire", "leader", "node", "job_unique", "unique_hold",
                "result_cache", "rate_window")) {
            tables.append(tables.length() == 0 ? "" : ", ").append('`').append(p).append(table).append('`');
        }
        execute(mariaDb(), "DROP TABLE IF EXISTS " + tables);
    }

    static boolean mariaDbMissing() {
        return mariaDb() == null;
    }

    static synchronized DataSource h2() {
        if (h2 == null) {
            h2 = h2Pool("sluice-test-h2", 16);
            LOG.info("H2 tests use an in-memory database ({})", H2_URL);
        }
        return h2;
    }

    static void execute(DataSource dataSource, String... statements) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cleanup failed: " + e.getMessage(), e);
        }
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
