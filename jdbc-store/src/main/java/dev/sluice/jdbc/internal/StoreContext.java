package dev.sluice.jdbc.internal;

import dev.sluice.SluiceException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;

/**
 * What every statement class of one store shares: the pool, the dialect, the table names, the clock, and the
 * transaction loop. Immutable and thread-safe.
 */
public final class StoreContext {

    /** The longest time to live or period accepted (100 years), so that now + duration never overflows. */
    static final long MAX_DURATION_MILLIS = 100L * 365 * 24 * 3600 * 1000;
    /** Attempts of a transaction that fails on a deadlock or a unique-key race before the error is thrown. */
    private static final int ATTEMPTS = 5;

    final DataSource dataSource;
    final Dialect dialect;
    final Tables tables;
    /** Null: "now" is the database's clock. */
    final Clock clock;
    final long agingStepMillis;
    final WakeUps wakeUps;

    public StoreContext(DataSource dataSource, Dialect dialect, Tables tables, Clock clock, long agingStepMillis,
                        WakeUps wakeUps) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.tables = tables;
        this.clock = clock;
        this.agingStepMillis = agingStepMillis;
        this.wakeUps = wakeUps;
    }

    /** Work done in one transaction; may throw {@link RetryTransaction} to be run again from the start. */
    @FunctionalInterface
    public interface TransactionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Thrown by work that lost a race (a unique key taken meanwhile): the transaction is rolled back and rerun. */
    static final class RetryTransaction extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RetryTransaction(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Runs the work in a transaction of its own on a pooled connection, retrying deadlocks and lost races.
     *
     * @throws SluiceException naming {@code what} when the database fails
     */
    public <T> T inTransaction(String what, TransactionWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                return runInTransaction(connection, work);
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && dialect.isTransient(e)) {
                    continue;
                }
                throw new SluiceException(what + " failed on " + dialect.displayName() + " (tables "
                        + tables.job() + "): " + e.getMessage(), e);
            } catch (RetryTransaction e) {
                if (attempt < ATTEMPTS) {
                    continue;
                }
                throw new SluiceException(what + " failed on " + dialect.displayName() + " after " + ATTEMPTS
                        + " attempts: " + e.getMessage(), e);
            }
        }
    }

    private <T> T runInTransaction(Connection connection, TransactionWork<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        int isolationToRestore = -1;
        if (dialect.wantsReadCommitted()) {
            int isolation = connection.getTransactionIsolation();
            if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                isolationToRestore = isolation;
            }
        }
        if (autoCommit) {
            connection.setAutoCommit(false);
        }
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } finally {
            if (autoCommit) {
                connection.setAutoCommit(true);
            }
            if (isolationToRestore != -1) {
                connection.setTransactionIsolation(isolationToRestore);
            }
        }
    }

    /** "Now" in epoch millis: the configured clock's, else the database's (one query). */
    long now(Connection connection) throws SQLException {
        if (clock != null) {
            return clock.millis();
        }
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT " + dialect.nowMillisSql())) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * Binds the "now" of a statement written as {@code COALESCE(CAST(? AS BIGINT), <database now>)}: the clock's
     * millis when a clock is set, else NULL so that the database's clock is used.
     */
    void bindNow(PreparedStatement statement, int index) throws SQLException {
        if (clock != null) {
            statement.setLong(index, clock.millis());
        } else {
            statement.setNull(index, java.sql.Types.BIGINT);
        }
    }

    String nowExpression() {
        return "COALESCE(CAST(? AS " + dialect.bigintCastType() + "), " + dialect.nowMillisSql() + ")";
    }

    long sortKey(long dueAt, int priorityWeight) {
        return dueAt - priorityWeight * agingStepMillis;
    }

    /** Tells other nodes (NOTIFY, delivered when the transaction commits) that new work may be due. */
    void notifyOtherNodes(Connection connection) throws SQLException {
        String sql = dialect.notifySql(tables);
        if (sql != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }
    }

    /** Wakes this process's subscribers after a change that made work due. */
    /**
     * Refuses a caller's connection that is not inside a transaction: what the store writes on it must follow the
     * caller's commit or rollback.
     */
    static void requireCallerTransaction(Connection callerConnection, String what) throws SQLException {
        if (callerConnection.getAutoCommit()) {
            throw new IllegalArgumentException("the connection given to a transactional " + what + " must be in a "
                    + "transaction (autoCommit false), otherwise the " + what + " would not follow its commit or "
                    + "rollback");
        }
    }

    void signalLocalWork() {
        wakeUps.signalLocal();
    }

    static SluiceException failure(String what, Dialect dialect, SQLException e) {
        return new SluiceException(what + " failed on " + dialect.displayName() + ": " + e.getMessage(), e);
    }
}
