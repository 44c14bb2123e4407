package dev.sluice.jdbc.internal;

import dev.sluice.JobId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * What differs between databases, kept small like db-scheduler's customizations: quoting, the database's clock,
 * how a job id is stored, how fencing tokens are taken, how a live unique key is found. Everything else is the
 * same SQL on every database. Stateless and thread-safe.
 */
public abstract class Dialect {

    /** Name for logs and messages, e.g. "PostgreSQL". */
    public abstract String displayName();

    /** Folder of the dialect's scripts under {@code db/sluice/}. */
    public abstract String scriptFolder();

    /** Quotes an identifier that has already been checked against {@code ^[a-z_][a-z0-9_]{0,62}$}. */
    public String quote(String identifier) {
        return '"' + identifier + '"';
    }

    /** An SQL expression for the database's "now" in epoch milliseconds, as a BIGINT. */
    public abstract String nowMillisSql();

    /** The type a bound parameter is cast to to be read as a BIGINT ({@code CAST(? AS <type>)}). */
    public String bigintCastType() {
        return "BIGINT";
    }

    /** Whether the PostgreSQL single-statement paths (arrays, RETURNING, ON CONFLICT) apply. */
    public boolean isPostgres() {
        return false;
    }

    /**
     * Whether {@code LIMIT n FOR UPDATE SKIP LOCKED} may return fewer than n rows while more unlocked rows
     * exist (the limit is applied before locked rows are skipped).
     */
    public boolean appliesLimitBeforeSkippingLocked() {
        return false;
    }

    /** The condition that a job of the queue bound to the one parameter waits (SCHEDULED or READY). */
    public String waitingInQueue() {
        return "queue = ? AND state IN (1, 2)";
    }

    /**
     * The clause that ends a SELECT to lock its rows against change while others may still read-lock them (the
     * parents a new job attaches to); databases without shared row locks lock them exclusively.
     */
    public String shareLockClause() {
        return " FOR SHARE";
    }

    /** Whether transactions of the store run at READ COMMITTED (MariaDB/MySQL default to REPEATABLE READ). */
    public boolean wantsReadCommitted() {
        return false;
    }

    /**
     * The column that holds a job's unique key only while the job is live, with the predicate that makes it so.
     * PostgreSQL has a partial unique index on {@code unique_key}; others a generated {@code live_key} column.
     */
    public String liveKeyColumn() {
        return "live_key";
    }

    public String liveKeyCondition() {
        return "";
    }

    public void setId(PreparedStatement statement, int index, JobId id) throws SQLException {
        statement.setObject(index, id.toUuid());
    }

    /** Binds {@code ids} to consecutive parameters from {@code first} on. */
    public void setIds(PreparedStatement statement, int first, List<JobId> ids) throws SQLException {
        for (int i = 0; i < ids.size(); i++) {
            setId(statement, first + i, ids.get(i));
        }
    }

    /** The ids as UUIDs, for a PostgreSQL {@code uuid[]} parameter. */
    static java.util.UUID[] uuids(java.util.Collection<JobId> ids) {
        java.util.UUID[] uuids = new java.util.UUID[ids.size()];
        int i = 0;
        for (JobId id : ids) {
            uuids[i++] = id.toUuid();
        }
        return uuids;
    }

    public JobId getId(ResultSet rows, int column) throws SQLException {
        java.util.UUID uuid = rows.getObject(column, java.util.UUID.class);
        return JobId.of(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    /**
     * Takes {@code count} new fencing tokens, each greater than every token taken before, in ascending order.
     * Runs inside the claim's transaction.
     */
    public abstract long[] takeTokens(Connection connection, Tables tables, int count) throws SQLException;

    /**
     * An insert of one row that replaces the row with the same {@code keyColumns} when there is one: {@code columns}
     * take {@code values} (SQL with bind parameters, in order), and every column not in the key is overwritten.
     */
    public abstract String upsertSql(String table, List<String> keyColumns, List<String> columns, String values);

    /**
     * A delete of at most {@code limit} rows of {@code table} matching {@code condition}, for sweeps done in bounded
     * batches; which rows when more match is the database's choice.
     */
    public String deleteSomeSql(String table, String condition, int limit) {
        return "DELETE FROM " + table + " WHERE " + condition + " LIMIT " + limit;
    }

    /** Columns joined as {@code c = <template with %s for the column>}, for the update half of an upsert. */
    static String assignments(List<String> columns, List<String> keyColumns, String template) {
        StringBuilder sql = new StringBuilder();
        for (String column : columns) {
            if (!keyColumns.contains(column)) {
                sql.append(sql.length() == 0 ? "" : ", ").append(column).append(" = ")
                        .append(String.format(template, column));
            }
        }
        return sql.toString();
    }

    /** True when the exception is a unique-constraint violation. */
    public boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /** True when the transaction may simply be tried again (deadlock, serialization failure, lock timeout). */
    public boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.equals("40001") || state.equals("40P01") || state.startsWith("40"));
    }

    /** SQL that makes {@code channel} hear about new work, or null when the database has no notifications. */
    public String notifySql(Tables tables) {
        return null;
    }

    /** Text as the database can store it (an error text may hold any character a handler's exception said). */
    public String storableText(String text) {
        return text;
    }

    /** Splits a list into chunks that stay under the drivers' bind-parameter limits. */
    static <T> List<List<T>> chunks(List<T> list, int size) {
        if (list.size() <= size) {
            return List.of(list);
        }
        java.util.ArrayList<List<T>> chunks = new java.util.ArrayList<>();
        for (int from = 0; from < list.size(); from += size) {
            chunks.add(list.subList(from, Math.min(list.size(), from + size)));
        }
        return chunks;
    }
}
