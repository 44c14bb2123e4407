package dev.sluice.fault.harness;

import dev.sluice.JobId;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The JDBC store on a PostgreSQL server of the run's own; the run's tables live in schema {@value #SCHEMA}. */
public final class PostgresFixture extends ServerFixture {

    static final String SCHEMA = "fault";
    private static final String DATABASE = "sluice";

    private final PostgresServer server;

    private PostgresFixture(PostgresServer server) {
        this.server = server;
    }

    public static PostgresFixture start(String name) {
        PostgresServer server = PostgresServer.start(name);
        try {
            server.createDatabase(DATABASE);
            return new PostgresFixture(server);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    @Override
    public String kind() {
        return "postgres";
    }

    /**
     * Nodes end a session that idles inside a transaction for a second (half their lease), as jdbc-store's README
     * asks: a node frozen inside a store transaction otherwise keeps its row locks, and recovery, which skips
     * locked rows, cannot take its jobs back until it wakes up.
     */
    @Override
    public String nodeUrl() {
        return "jdbc:postgresql://127.0.0.1:" + nodePort() + "/" + DATABASE + "?user=postgres"
                + "&options=-c%20idle_in_transaction_session_timeout%3D1000";
    }

    @Override
    public String directUrl() {
        return server.jdbcUrl(DATABASE);
    }

    @Override
    public String prefix() {
        return SCHEMA;
    }

    @Override
    int serverPort() {
        return server.port();
    }

    @Override
    public void crashAndRestart() {
        server.stopImmediately();
        server.start();
    }

    @Override
    public void corruptPayload(JobId id, byte[] bytes) {
        execute("UPDATE " + SCHEMA + ".sluice_job SET payload = ? WHERE id = ?", statement -> {
            statement.setBytes(1, bytes);
            statement.setObject(2, id.toUuid());
            if (statement.executeUpdate() != 1) {
                throw new IllegalStateException("no job " + id + " to corrupt");
            }
        });
    }

    @Override
    public List<String> invariantViolations() {
        String job = SCHEMA + ".sluice_job";
        String[][] checks = {
            {"jobs in no known state", "SELECT count(*) FROM " + job + " WHERE state NOT BETWEEN 0 AND 6"},
            {"RUNNING jobs without a lease", "SELECT count(*) FROM " + job
                    + " WHERE state = 3 AND (lease_owner IS NULL OR lease_expires_at IS NULL)"},
            {"jobs with a lease that are not RUNNING", "SELECT count(*) FROM " + job
                    + " WHERE state <> 3 AND (lease_owner IS NOT NULL OR lease_expires_at IS NOT NULL)"},
            {"finished jobs without a finish time", "SELECT count(*) FROM " + job
                    + " WHERE state IN (4, 5, 6) AND finished_at IS NULL"},
            {"unfinished jobs with a finish time", "SELECT count(*) FROM " + job
                    + " WHERE state < 4 AND finished_at IS NOT NULL"},
            {"jobs with more attempts than allowed, or fewer than none", "SELECT count(*) FROM " + job
                    + " WHERE attempts > max_attempts OR attempts < 0"},
            {"results of jobs that did not succeed", "SELECT count(*) FROM " + SCHEMA + ".sluice_job_result r JOIN "
                    + job + " j ON j.id = r.id WHERE j.state <> 4"},
            {"unique keys held by two live jobs", "SELECT count(*) FROM (SELECT unique_key FROM " + job
                    + " WHERE state < 4 AND unique_key IS NOT NULL GROUP BY unique_key HAVING count(*) > 1) k"},
        };
        List<String> violations = new ArrayList<>();
        for (String[] check : checks) {
            execute(check[1], statement -> {
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    long n = rows.getLong(1);
                    if (n != 0) {
                        violations.add(n + " " + check[0]);
                    }
                }
            });
        }
        return violations;
    }

    @FunctionalInterface
    private interface StatementWork {
        void run(PreparedStatement statement) throws SQLException;
    }

    private void execute(String sql, StatementWork work) {
        try (Connection connection = DriverManager.getConnection(directUrl());
             PreparedStatement statement = connection.prepareStatement(sql)) {
            work.run(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + server + ": " + e.getMessage(), e);
        }
    }

    @Override
    void closeServer() {
        server.close();
    }

    @Override
    public String toString() {
        return server.toString();
    }
}
