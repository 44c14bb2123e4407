package dev.sluice.fault.ledger;

import dev.sluice.JobId;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The harness's reads of the ledger (and its reset between runs). One connection per call; thread-safe. */
public final class LedgerReader {

    private static final String T = Ledger.TABLE;
    private static final String TERMINAL = "('SUCCEEDED', 'DEAD', 'CANCELLED')";

    private final String url;

    public LedgerReader(String url) {
        this.url = url;
    }

    /** What the ledger says of one job. */
    public record JobLedger(int starts, long[] doneTokens, long[] terminalAcceptedTokens) {
    }

    /** Creates the table when missing and empties it. */
    public void reset() {
        try (Connection connection = DriverManager.getConnection(url)) {
            Ledger.createTable(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("TRUNCATE " + T);
            }
        } catch (SQLException e) {
            throw failure("reset", e);
        }
    }

    /** Events of a kind, by one node (null: any node). */
    public long count(LedgerEvent.Kind kind, String node) {
        return node == null ? scalar("SELECT count(*) FROM " + T + " WHERE kind = ?", kind.name())
                : scalar("SELECT count(*) FROM " + T + " WHERE kind = ? AND node = ?", kind.name(), node);
    }

    /** Completion events of a kind (ACCEPTED, STALE) by a node whose outcome is {@code outcome}. */
    public long countOutcome(LedgerEvent.Kind kind, String node, String outcome) {
        return scalar("SELECT count(*) FROM " + T + " WHERE kind = ? AND node = ? AND detail = ?", kind.name(), node,
                outcome);
    }

    /** The distinct jobs for which a node recorded events of a kind. */
    public long distinctJobs(LedgerEvent.Kind kind, String node) {
        return scalar("SELECT count(DISTINCT job_id) FROM " + T + " WHERE kind = ? AND node = ?", kind.name(), node);
    }

    /** Events of a kind by a node at or after a time (host millis). */
    public long countSince(LedgerEvent.Kind kind, String node, long sinceMillis) {
        return scalar("SELECT count(*) FROM " + T + " WHERE kind = ? AND node = ? AND at_ms >= ?", kind.name(), node,
                sinceMillis);
    }

    private long scalar(String sql, Object... parameters) {
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    /** Per job: executions started, tokens of executions that ended normally, tokens of accepted final outcomes. */
    public Map<JobId, JobLedger> jobs() {
        String sql = "SELECT job_id, count(*) FILTER (WHERE kind = 'START'), "
                + "array_agg(DISTINCT token) FILTER (WHERE kind = 'END' AND detail LIKE 'done%'), "
                + "array_agg(DISTINCT token) FILTER (WHERE kind = 'ACCEPTED' AND detail IN " + TERMINAL + ") "
                + "FROM " + T + " GROUP BY job_id";
        Map<JobId, JobLedger> jobs = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.setAutoCommit(false); // a cursor: the result may hold a million jobs
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setFetchSize(10_000);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        UUID id = rows.getObject(1, UUID.class);
                        jobs.put(JobId.of(id.getMostSignificantBits(), id.getLeastSignificantBits()),
                                new JobLedger(rows.getInt(2), longs(rows.getArray(3)), longs(rows.getArray(4))));
                    }
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw failure("per-job summary", e);
        }
        return jobs;
    }

    /** Host times (millis) of accepted completions, ascending: the cluster's throughput over time. */
    public long[] acceptedTimes() {
        return column("SELECT at_ms FROM " + T + " WHERE kind = 'ACCEPTED' ORDER BY at_ms").stream()
                .mapToLong(Long::longValue).toArray();
    }

    /** Numbers (seq) whose submits returned more than one id (a unique key that did not hold). */
    public List<Long> numbersWithSeveralIds() {
        return column("SELECT seq FROM " + T + " WHERE kind = 'SUBMITTED' GROUP BY seq"
                + " HAVING count(DISTINCT job_id) > 1 ORDER BY seq");
    }

    private List<Long> column(String sql) {
        List<Long> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getLong(1));
            }
        } catch (SQLException e) {
            throw failure(sql, e);
        }
        return values;
    }

    private static long[] longs(Array array) throws SQLException {
        if (array == null) {
            return new long[0];
        }
        Object[] values = (Object[]) array.getArray();
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = ((Number) values[i]).longValue();
        }
        return out;
    }

    private IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("ledger " + what + " failed on " + url + ": " + e.getMessage(), e);
    }
}
