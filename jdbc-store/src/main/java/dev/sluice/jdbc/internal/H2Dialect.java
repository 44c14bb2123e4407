package dev.sluice.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** H2 2.x, embedded in a file or in memory: UUID ids, a generated live-key column, a sequence for tokens. */
public final class H2Dialect extends Dialect {

    @Override
    public String displayName() {
        return "H2";
    }

    @Override
    public String scriptFolder() {
        return "h2";
    }

    @Override
    public String nowMillisSql() {
        return "DATEDIFF(MILLISECOND, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00', CURRENT_TIMESTAMP)";
    }

    @Override
    public String shareLockClause() {
        return " FOR UPDATE"; // H2 has no shared row locks
    }

    @Override
    public boolean appliesLimitBeforeSkippingLocked() {
        return true;
    }

    @Override
    public String upsertSql(String table, List<String> keyColumns, List<String> columns, String values) {
        return "MERGE INTO " + table + " (" + String.join(", ", columns) + ") KEY (" + String.join(", ", keyColumns)
                + ") VALUES (" + values + ")";
    }

    @Override
    public long[] takeTokens(Connection connection, Tables tables, int count) throws SQLException {
        long[] tokens = new long[count];
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT NEXT VALUE FOR " + tables.tokenSequence() + " FROM SYSTEM_RANGE(1, ?)")) {
            statement.setInt(1, count);
            try (ResultSet rows = statement.executeQuery()) {
                int i = 0;
                while (rows.next()) {
                    tokens[i++] = rows.getLong(1);
                }
            }
        }
        java.util.Arrays.sort(tokens);
        return tokens;
    }
}
