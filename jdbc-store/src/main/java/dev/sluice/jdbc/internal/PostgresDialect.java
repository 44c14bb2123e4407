package dev.sluice.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** PostgreSQL 12+: uuid ids, a partial unique index for live keys, a sequence for tokens, LISTEN/NOTIFY. */
public final class PostgresDialect extends Dialect {

    @Override
    public String displayName() {
        return "PostgreSQL";
    }

    @Override
    public String scriptFolder() {
        return "postgresql";
    }

    @Override
    public String nowMillisSql() {
        // statement_timestamp(): one value for the whole statement, however many rows it touches
        return "(EXTRACT(EPOCH FROM statement_timestamp()) * 1000)::bigint";
    }

    @Override
    public boolean isPostgres() {
        return true;
    }

    @Override
    public String liveKeyColumn() {
        return "unique_key";
    }

    @Override
    public String liveKeyCondition() {
        return " AND state < 4";
    }

    /**
     * PostgreSQL's text type cannot hold NUL ("invalid byte sequence for encoding UTF8: 0x00"): it becomes U+FFFD.
     * Left as it was, one error text quoting a binary payload failed its completion on every retry.
     */
    @Override
    public String storableText(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }

    @Override
    public long[] takeTokens(Connection connection, Tables tables, int count) throws SQLException {
        long[] tokens = new long[count];
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT nextval('" + tables.tokenSequence() + "') FROM generate_series(1, ?) ORDER BY 1")) {
            statement.setInt(1, count);
            try (ResultSet rows = statement.executeQuery()) {
                int i = 0;
                while (rows.next()) {
                    tokens[i++] = rows.getLong(1);
                }
            }
        }
        return tokens;
    }

    @Override
    public String upsertSql(String table, List<String> keyColumns, List<String> columns, String values) {
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + values + ") ON CONFLICT ("
                + String.join(", ", keyColumns) + ") DO UPDATE SET "
                + assignments(columns, keyColumns, "EXCLUDED.%s");
    }

    @Override
    public String deleteSomeSql(String table, String condition, int limit) {
        // PostgreSQL has no DELETE ... LIMIT; SKIP LOCKED: two nodes sweeping at once take different rows
        return "DELETE FROM " + table + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + table + " WHERE " + condition
                + " LIMIT " + limit + " FOR UPDATE SKIP LOCKED))";
    }

    @Override
    public String notifySql(Tables tables) {
        return "NOTIFY " + tables.channel();
    }
}
