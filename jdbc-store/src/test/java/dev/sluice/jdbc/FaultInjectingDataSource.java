package dev.sluice.jdbc;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A fault injector around a real pool: while {@link #failConnections(boolean) failing}, every
 * {@code getConnection()} throws as a pool does when its database does not answer; otherwise it hands out the
 * pool's connections untouched. Connections borrowed before the outage keep working (as a pool's do until
 * their next use of the socket). Thread-safe.
 */
final class FaultInjectingDataSource implements DataSource {

    private final DataSource target;
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean failing;

    FaultInjectingDataSource(DataSource target) {
        this.target = target;
    }

    /** Starts or ends the outage. */
    void failConnections(boolean failing) {
        this.failing = failing;
    }

    /** How many connections were refused so far. */
    int refusedConnections() {
        return refused.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        refuseWhileFailing();
        return target.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        refuseWhileFailing();
        return target.getConnection(username, password);
    }

    private void refuseWhileFailing() throws SQLException {
        if (failing) {
            refused.incrementAndGet();
            throw new SQLTransientConnectionException("injected outage: the database does not answer", "08001");
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : target.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || target.isWrapperFor(type);
    }
}
