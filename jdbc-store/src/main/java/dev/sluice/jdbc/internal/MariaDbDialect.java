package dev.sluice.jdbc.internal;

import dev.sluice.JobId;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * MariaDB 10.6+ and MySQL 8.0+ (InnoDB, SKIP LOCKED): ids as BINARY(16), a generated live-key column, a
 * counter row for tokens (MySQL has no sequences), READ COMMITTED transactions (fewer gap locks).
 */
public final class MariaDbDialect extends Dialect {

    @Override
    public String displayName() {
        return "MariaDB/MySQL";
    }

    @Override
    public String scriptFolder() {
        return "mariadb";
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier + '`';
    }

    @Override
    public String nowMillisSql() {
        return "CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)";
    }

    @Override
    public String bigintCastType() {
        return "SIGNED"; // MariaDB has no CAST(... AS BIGINT): the due-work poll failed on it before this
    }

    @Override
    public String waitingInQueue() {
        return "ready_queue = ?"; // a generated column indexed with sort_key: see the schema script
    }

    @Override
    public String shareLockClause() {
        return " LOCK IN SHARE MODE"; // MariaDB has no FOR SHARE; MySQL 8 accepts both
    }

    @Override
    public boolean wantsReadCommitted() {
        return true;
    }

    @Override
    public void setId(PreparedStatement statement, int index, JobId id) throws SQLException {
        statement.setBytes(index, ByteBuffer.allocate(16).putLong(id.mostSignificantBits())
                .putLong(id.leastSignificantBits()).array());
    }

    @Override
    public JobId getId(ResultSet rows, int column) throws SQLException {
        ByteBuffer bytes = ByteBuffer.wrap(rows.getBytes(column));
        return JobId.of(bytes.getLong(), bytes.getLong());
    }

    @Override
    public long[] takeTokens(Connection connection, Tables tables, int count) throws SQLException {
        // The counter row stays locked until the claim commits: claims on MariaDB/MySQL take tokens one at a time.
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE " + tables.tokenCounter() + " SET last_token = LAST_INSERT_ID(last_token + "
                    + count + ") WHERE id = 1");
            try (ResultSet rows = statement.executeQuery("SELECT LAST_INSERT_ID()")) {
                rows.next();
                long last = rows.getLong(1);
                long[] tokens = new long[count];
                for (int i = 0; i < count; i++) {
                    tokens[i] = last - count + 1 + i;
                }
                return tokens;
            }
        }
    }

    @Override
    public String upsertSql(String table, List<String> keyColumns, List<String> columns, String values) {
        // VALUES(column): MariaDB has no row alias (INSERT ... AS new); MySQL 8 still accepts it, with a warning
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + values
                + ") ON DUPLICATE KEY UPDATE " + assignments(columns, keyColumns, "VALUES(%s)");
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return e.getErrorCode() == 1062 || "23000".equals(e.getSQLState()) && e.getMessage().contains("Duplicate");
    }

    @Override
    public boolean isTransient(SQLException e) {
        // 1213 deadlock, 1205 lock wait timeout
        return super.isTransient(e) || e.getErrorCode() == 1213 || e.getErrorCode() == 1205;
    }
}
