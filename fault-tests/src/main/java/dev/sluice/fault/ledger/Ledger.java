package dev.sluice.fault.ledger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes ledger events to the ledger database (a PostgreSQL database of its own, on a server no scenario faults).
 * {@link #record} returns only once its event is committed, so a handler that records its start and end before
 * it returns leaves a durable trace even when its JVM is killed the next instant. Events of concurrent callers
 * share one transaction (group commit), so the ledger costs a node about one round trip per batch of handlers,
 * not one per event. Thread-safe.
 */
public final class Ledger implements AutoCloseable {

    static final String TABLE = "ledger_event";
    private static final String INSERT = "INSERT INTO " + TABLE
            + " (kind, job_id, token, node, attempt, at_ms, seq, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final int MAX_BATCH = 2_000;

    private final String url;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    private Ledger(String url) {
        this.url = url;
        this.writer = new Thread(this::writeLoop, "ledger-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** A ledger writing to the database at {@code jdbcUrl}, whose table exists (see {@link #createTable}). */
    public static Ledger open(String jdbcUrl) {
        return new Ledger(jdbcUrl);
    }

    /** Creates the ledger table when missing. */
    public static void createTable(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (kind text NOT NULL, job_id uuid NOT NULL,"
                    + " token bigint NOT NULL, node text NOT NULL, attempt int NOT NULL, at_ms bigint NOT NULL,"
                    + " seq bigint NOT NULL, detail text)");
        }
    }

    /** Records one event and waits until it is committed. */
    public void record(LedgerEvent event) {
        recordAll(List.of(event));
    }

    /** Records events and waits until all are committed. */
    public void recordAll(List<LedgerEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("ledger is closed; cannot record " + events.get(0));
        }
        Pending pending = new Pending(events);
        queue.add(pending);
        try {
            pending.done.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            // The event may still be committed: the interrupt only stops the wait, so keep the flag.
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording " + events.get(0), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the ledger at " + url + " did not record " + events.get(0), e);
        }
    }

    private void writeLoop() {
        Connection connection = null;
        List<Pending> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                if (connection == null) {
                    connection = DriverManager.getConnection(url);
                    connection.setAutoCommit(false);
                }
                insert(connection, batch);
                for (Pending p : batch) {
                    p.done.complete(null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                for (Pending p : batch) {
                    p.done.completeExceptionally(e);
                }
                closeQuietly(connection);
                connection = null;
            } finally {
                batch.clear();
            }
        }
        closeQuietly(connection);
    }

    private static void insert(Connection connection, List<Pending> batch) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            for (Pending p : batch) {
                for (LedgerEvent e : p.events) {
                    statement.setString(1, e.kind().name());
                    statement.setObject(2, e.job().toUuid());
                    statement.setLong(3, e.token());
                    statement.setString(4, e.node());
                    statement.setInt(5, e.attempt());
                    statement.setLong(6, e.atMillis());
                    statement.setLong(7, e.seq());
                    if (e.detail() == null) {
                        statement.setNull(8, Types.VARCHAR);
                    } else {
                        statement.setString(8, e.detail());
                    }
                    statement.addBatch();
                }
            }
            statement.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // the connection is gone either way
            }
        }
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Pending {
        final List<LedgerEvent> events;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Pending(List<LedgerEvent> events) {
            this.events = events;
        }
    }
}
