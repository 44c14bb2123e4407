package dev.sluice.jdbc.internal;

import dev.sluice.store.SharedRateLimits.PermitGrant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Shared rate limits ({@code SharedRateLimits}): one row per limit with the start of its window (a multiple of the
 * period from the epoch, on the store's clock) and the permits granted in it. A take grants
 * {@code min(wanted, limit - used)}; concurrent takes on any number of nodes are serialized on the limit's row, so
 * a window never grants more than the limit. A take whose window is older than the row's (a node whose clock is
 * behind, or a statement that read "now" just before a window ended and reached the row after a take of the next
 * window) is granted nothing rather than restarting the row's window.
 *
 * <p>PostgreSQL: one statement, {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE <window check> RETURNING}.
 * Elsewhere: a short transaction that locks the row ({@code SELECT ... FOR UPDATE}), or inserts it for the first
 * take of a limit (a concurrent first insert makes the loser run again and lock the winner's row).
 */
final class RateLimitStatements {

    /** The width of the limit_name column. */
    private static final int MAX_NAME_LENGTH = 255;

    private final StoreContext context;
    private final String postgresTakeSql;
    private final String lockSql;
    private final String insertSql;
    private final String updateSql;

    RateLimitStatements(StoreContext context) {
        this.context = context;
        String table = context.tables.rateWindow();
        // The SET expressions all read the row as it was; the WHERE keeps a spent window (or a newer one) unwritten.
        this.postgresTakeSql = "WITH t AS (SELECT n AS now, n - MOD(n, CAST(? AS BIGINT)) AS window_start FROM (SELECT "
                + context.nowExpression() + " AS n) c), "
                + "taken AS (INSERT INTO " + table + " AS w (limit_name, window_start, used, last_granted) "
                + "SELECT ?, window_start, LEAST(?, ?), LEAST(?, ?) FROM t "
                + "ON CONFLICT (limit_name) DO UPDATE SET window_start = EXCLUDED.window_start, "
                + "used = CASE WHEN w.window_start = EXCLUDED.window_start "
                + "THEN w.used + LEAST(EXCLUDED.used, ? - w.used) ELSE EXCLUDED.used END, "
                + "last_granted = CASE WHEN w.window_start = EXCLUDED.window_start "
                + "THEN LEAST(EXCLUDED.used, ? - w.used) ELSE EXCLUDED.used END "
                + "WHERE w.window_start < EXCLUDED.window_start "
                + "OR (w.window_start = EXCLUDED.window_start AND w.used < ?) "
                + "RETURNING last_granted) "
                + "SELECT COALESCE((SELECT last_granted FROM taken), 0), window_start + ? - now FROM t";
        this.lockSql = "SELECT window_start, used FROM " + table + " WHERE limit_name = ? FOR UPDATE";
        this.insertSql = "INSERT INTO " + table + " (window_start, used, last_granted, limit_name) VALUES (?, ?, ?, ?)";
        this.updateSql = "UPDATE " + table + " SET window_start = ?, used = ?, last_granted = ? WHERE limit_name = ?";
    }

    PermitGrant take(String name, int wanted, int limit, long periodMillis) {
        Objects.requireNonNull(name, "name");
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("limit name must be at most " + MAX_NAME_LENGTH
                    + " characters but was " + name.length() + ": '" + name.substring(0, 40) + "...'");
        }
        if (wanted < 1 || limit < 1 || periodMillis < 1 || periodMillis > StoreContext.MAX_DURATION_MILLIS) {
            throw new IllegalArgumentException("wanted and limit must be >= 1 and periodMillis in 1.."
                    + StoreContext.MAX_DURATION_MILLIS + " (100 years) but were " + wanted + ", " + limit + ", "
                    + periodMillis + " (limit '" + name + "')");
        }
        return context.inTransaction("take of permits of rate limit '" + name + "'", c -> context.dialect.isPostgres()
                ? takeInOneStatement(c, name, wanted, limit, periodMillis)
                : takeUnderRowLock(c, name, wanted, limit, periodMillis));
    }

    private PermitGrant takeInOneStatement(Connection c, String name, int wanted, int limit, long periodMillis)
            throws SQLException {
        try (PreparedStatement take = c.prepareStatement(postgresTakeSql)) {
            take.setLong(1, periodMillis);
            context.bindNow(take, 2);
            take.setString(3, name);
            take.setInt(4, wanted);
            take.setInt(5, limit);
            take.setInt(6, wanted);
            take.setInt(7, limit);
            take.setInt(8, limit);
            take.setInt(9, limit);
            take.setInt(10, limit);
            take.setLong(11, periodMillis);
            try (ResultSet rows = take.executeQuery()) {
                rows.next();
                return new PermitGrant(rows.getInt(1), rows.getLong(2));
            }
        }
    }

    private PermitGrant takeUnderRowLock(Connection c, String name, int wanted, int limit, long periodMillis)
            throws SQLException {
        long now = context.now(c);
        long windowStart = now - Math.floorMod(now, periodMillis);
        long millisLeft = windowStart + periodMillis - now;
        long storedStart;
        int used;
        try (PreparedStatement lock = c.prepareStatement(lockSql)) {
            lock.setString(1, name);
            try (ResultSet rows = lock.executeQuery()) {
                if (!rows.next()) {
                    int granted = Math.min(wanted, limit);
                    insertFirstWindow(c, name, windowStart, granted);
                    return new PermitGrant(granted, millisLeft);
                }
                storedStart = rows.getLong(1);
                used = rows.getInt(2);
            }
        }
        if (storedStart > windowStart) {
            return new PermitGrant(0, millisLeft);
        }
        int usedInWindow = storedStart == windowStart ? used : 0;
        int granted = Math.max(0, Math.min(wanted, limit - usedInWindow));
        if (granted > 0) {
            write(c, updateSql, name, windowStart, usedInWindow + granted, granted);
        }
        return new PermitGrant(granted, millisLeft);
    }

    private void insertFirstWindow(Connection c, String name, long windowStart, int granted) throws SQLException {
        try {
            write(c, insertSql, name, windowStart, granted, granted);
        } catch (SQLException e) {
            if (context.dialect.isUniqueViolation(e)) {
                throw new StoreContext.RetryTransaction("rate limit '" + name + "' first taken concurrently");
            }
            throw e;
        }
    }

    private static void write(Connection c, String sql, String name, long windowStart, int used, int granted)
            throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setLong(1, windowStart);
            statement.setInt(2, used);
            statement.setInt(3, granted);
            statement.setString(4, name);
            statement.executeUpdate();
        }
    }
}
