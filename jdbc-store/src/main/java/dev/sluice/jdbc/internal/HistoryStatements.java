package dev.sluice.jdbc.internal;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.store.HistoryEntry;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The audit trail: rows appended, never changed (purge deletes them with their job). One statement per append on
 * PostgreSQL (unnest, in the given order), one JDBC batch elsewhere.
 */
final class HistoryStatements {

    private static final JobState[] STATES = JobState.values();

    private final StoreContext context;
    private final String insertSql;
    private final String unnestInsertSql;

    HistoryStatements(StoreContext context) {
        this.context = context;
        String columns = " (job_id, happened_at, from_state, to_state, attempt, node, error) ";
        this.insertSql = "INSERT INTO " + context.tables.history() + columns + "VALUES (?, ?, ?, ?, ?, ?, ?)";
        // ORDER BY the ordinality: identity values (seq) follow the given order, which breaks ties of happened_at
        this.unnestInsertSql = "INSERT INTO " + context.tables.history() + columns
                + "SELECT u.job_id, u.happened_at, u.from_state, u.to_state, u.attempt, u.node, u.error "
                + "FROM unnest(?::uuid[], ?::bigint[], ?::smallint[], ?::smallint[], ?::int[], ?::text[], ?::text[]) "
                + "WITH ORDINALITY AS u(job_id, happened_at, from_state, to_state, attempt, node, error, ord) ORDER BY u.ord";
    }

    void appendHistory(List<HistoryEntry> entries) {
        Objects.requireNonNull(entries, "entries");
        if (entries.isEmpty()) {
            return;
        }
        for (HistoryEntry entry : entries) {
            Objects.requireNonNull(entry, "null entry in the history list");
        }
        context.inTransaction("append of " + entries.size() + " history entries", c -> {
            if (context.dialect.isPostgres()) {
                int n = entries.size();
                UUID[] ids = new UUID[n];
                Long[] ats = new Long[n];
                Short[] froms = new Short[n];
                Short[] tos = new Short[n];
                Integer[] attempts = new Integer[n];
                String[] nodes = new String[n];
                String[] errors = new String[n];
                for (int i = 0; i < n; i++) {
                    HistoryEntry entry = entries.get(i);
                    ids[i] = entry.id().toUuid();
                    ats[i] = entry.at().toEpochMilli();
                    froms[i] = entry.from() == null ? null : (short) entry.from().ordinal();
                    tos[i] = (short) entry.to().ordinal();
                    attempts[i] = entry.attempt();
                    nodes[i] = entry.node();
                    errors[i] = entry.error();
                }
                try (PreparedStatement insert = c.prepareStatement(unnestInsertSql)) {
                    insert.setArray(1, c.createArrayOf("uuid", ids));
                    insert.setArray(2, c.createArrayOf("int8", ats));
                    insert.setArray(3, c.createArrayOf("int2", froms));
                    insert.setArray(4, c.createArrayOf("int2", tos));
                    insert.setArray(5, c.createArrayOf("int4", attempts));
                    insert.setArray(6, c.createArrayOf("text", nodes));
                    insert.setArray(7, c.createArrayOf("text", errors));
                    insert.executeUpdate();
                }
                return null;
            }
            try (PreparedStatement insert = c.prepareStatement(insertSql)) {
                for (HistoryEntry entry : entries) {
                    context.dialect.setId(insert, 1, entry.id());
                    insert.setLong(2, entry.at().toEpochMilli());
                    if (entry.from() == null) {
                        insert.setNull(3, Types.SMALLINT);
                    } else {
                        insert.setInt(3, entry.from().ordinal());
                    }
                    insert.setInt(4, entry.to().ordinal());
                    insert.setInt(5, entry.attempt());
                    insert.setString(6, entry.node());
                    insert.setString(7, entry.error());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    List<HistoryEntry> history(JobId id) {
        Objects.requireNonNull(id, "id");
        return context.inTransaction("history of job " + id, c -> {
            List<HistoryEntry> entries = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT happened_at, from_state, to_state, attempt, node, "
                    + "error FROM " + context.tables.history() + " WHERE job_id = ? ORDER BY happened_at, seq")) {
                context.dialect.setId(select, 1, id);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        entries.add(read(id, rows));
                    }
                }
            }
            return List.copyOf(entries);
        });
    }

    private static HistoryEntry read(JobId id, ResultSet rows) throws SQLException {
        int from = rows.getInt(2);
        JobState fromState = rows.wasNull() ? null : STATES[from];
        return new HistoryEntry(id, Instant.ofEpochMilli(rows.getLong(1)), fromState, STATES[rows.getInt(3)],
                rows.getInt(4), rows.getString(5), rows.getString(6));
    }
}
