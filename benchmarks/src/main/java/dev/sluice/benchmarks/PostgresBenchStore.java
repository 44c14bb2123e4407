package dev.sluice.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.jdbc.JdbcJobStore;
import dev.sluice.store.JobStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * {@code JdbcJobStore} on the local PostgreSQL ({@code -Dsluice.bench.pg.url}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}; {@code -Dsluice.bench.pg.user}, default {@code postgres}, no
 * password) through a HikariCP pool of {@value #POOL_SIZE}, on a fresh schema created by {@code createSchema(true)}
 * and dropped by {@link #close()}.
 */
final class PostgresBenchStore implements BenchStore {

    static final int POOL_SIZE = 8;

    private final HikariDataSource pool;
    // Generated here from digits and letters only, so it is safe to quote into DDL.
    private final String schema = "bench_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private boolean closed;

    PostgresBenchStore() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("sluice-bench");
        config.setJdbcUrl(System.getProperty("sluice.bench.pg.url", "jdbc:postgresql://127.0.0.1:5432/test"));
        config.setUsername(System.getProperty("sluice.bench.pg.user", "postgres"));
        config.setMaximumPoolSize(POOL_SIZE);
        pool = new HikariDataSource(config);
    }

    @Override
    public JobStore newStore() {
        return JdbcJobStore.builder(pool).schema(schema).createSchema(true).build();
    }

    @Override
    public boolean empty() {
        execute("TRUNCATE \"" + schema + "\".sluice_job, \"" + schema + "\".sluice_job_result, \"" + schema
                + "\".sluice_job_progress");
        return true;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            pool.close();
        }
    }

    private void execute(String sql) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }
}
