package dev.sluice.jdbc.internal;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * LISTEN on one dedicated connection taken from the store's pool for as long as someone subscribes. A
 * notification is only a hint that work may be due; a lost connection is retried with a backoff capped at 5 s,
 * and meanwhile the fallback poll keeps dispatchers going. Loaded only when the dialect is PostgreSQL, so the
 * driver classes it names are needed only then.
 */
public final class PostgresListener implements AutoCloseable, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresListener.class);
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final DataSource dataSource;
    private final String channel;
    private final Runnable onNotification;
    private final int waitMillis;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    private PostgresListener(DataSource dataSource, String channel, Runnable onNotification, int waitMillis,
                             String name) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.onNotification = onNotification;
        this.waitMillis = waitMillis;
        this.thread = new Thread(this, "sluice-pg-listen-" + name);
        this.thread.setDaemon(true);
    }

    /** Starts listening on {@code channel} (quoted) in a daemon thread. */
    public static PostgresListener start(DataSource dataSource, String channel, Runnable onNotification,
                                         int waitMillis, String name) {
        PostgresListener listener = new PostgresListener(dataSource, channel, onNotification, waitMillis, name);
        listener.thread.start();
        return listener;
    }

    @Override
    public void run() {
        long backoff = 100;
        while (!closed) {
            try (Connection listening = dataSource.getConnection()) {
                connection = listening;
                if (!listening.getAutoCommit()) {
                    listening.setAutoCommit(true);
                }
                try (Statement statement = listening.createStatement()) {
                    statement.execute("LISTEN " + channel);
                }
                PGConnection pg = listening.unwrap(PGConnection.class);
                backoff = 100;
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(waitMillis);
                    if (notifications != null && notifications.length > 0) {
                        onNotification.run();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("LISTEN {} lost its connection ({}); reconnecting in {} ms, polling meanwhile", channel,
                        e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            } finally {
                connection = null;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(waitMillis + 1_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
