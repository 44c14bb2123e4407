package dev.sluice.jdbc;

import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code JobContext.succeedIn(connection, result)} on PostgreSQL: a handler's own rows and its job's completion
 * commit or roll back together, so a side effect happens exactly once per successful job.
 */
class TransactionalCompletionTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private DataSource dataSource;
    private String schema;
    private JdbcJobStore store;

    @BeforeEach
    void open() {
        dataSource = TestDatabases.postgres();
        schema = TestDatabases.uniqueName("txcomplete");
        store = JdbcJobStore.builder(dataSource).schema(schema).createSchema(true).build();
        TestDatabases.execute(dataSource, "CREATE TABLE \"" + schema + "\".ledger (order_id TEXT PRIMARY KEY)");
    }

    @AfterEach
    void drop() {
        store.close();
        TestDatabases.execute(dataSource, "DROP SCHEMA \"" + schema + "\" CASCADE");
    }

    private void book(Connection connection, String order) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO \"" + schema + "\".ledger (order_id) VALUES (?)")) {
            insert.setString(1, order);
            insert.executeUpdate();
        }
    }

    private int booked() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM \"" + schema + "\".ledger");
             ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    void theSideEffectAndTheCompletionCommitTogetherAndARolledBackAttemptRunsAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        try (Sluice sluice = Sluice.builder().store(store).drainTimeout(Duration.ofSeconds(1))
                .handler("book", String.class, (order, ctx) -> {
                    try (Connection connection = dataSource.getConnection()) {
                        connection.setAutoCommit(false);
                        book(connection, order);
                        ctx.succeedIn(connection, "booked " + order);
                        if (attempts.incrementAndGet() == 1) {
                            connection.rollback(); // the first attempt fails after writing: nothing of it stays
                            throw new IllegalStateException("downstream refused after the write");
                        }
                        connection.commit();
                        return "ignored: the completion in the transaction holds the result";
                    }
                }, RetryPolicy.builder().maxAttempts(3).initialInterval(Duration.ofMillis(10)).jitter(0).build(),
                        null)
                .build().start()) {
            JobId id = sluice.submit(JobRequest.of("book", "order-7"));

            JobInfo done = sluice.await(id, PATIENCE);

            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.attempts()).isEqualTo(2);
            assertThat(done.result(String.class)).contains("booked order-7");
            assertThat(booked()).isEqualTo(1);
        }
    }

    @Test
    void aStaleAttemptCannotCompleteInItsTransaction() throws Exception {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        try (Sluice sluice = Sluice.builder().store(store).drainTimeout(Duration.ofSeconds(1))
                .handler("book", String.class, (order, ctx) -> {
                    try (Connection connection = dataSource.getConnection()) {
                        connection.setAutoCommit(false);
                        book(connection, order);
                        // another node took the job over meanwhile: here, an operator cancelled and retried it
                        try (Connection admin = dataSource.getConnection()) {
                            admin.createStatement().executeUpdate("UPDATE \"" + schema + "\".sluice_job SET "
                                    + "fencing_token = fencing_token + 1000 WHERE id = '" + ctx.jobId() + "'");
                        }
                        try {
                            ctx.succeedIn(connection, "booked");
                        } catch (RuntimeException e) {
                            refused.set(e);
                            connection.rollback();
                            throw e;
                        }
                        connection.commit();
                        return null;
                    }
                }, RetryPolicy.none(), null)
                .build().start()) {
            JobId id = sluice.submit(JobRequest.of("book", "order-8"));

            org.awaitility.Awaitility.await().atMost(PATIENCE).until(() -> refused.get() != null);

            assertThat(refused.get()).hasMessageContaining(id.toString()).hasMessageContaining("roll back");
            assertThat(booked()).isZero();
        }
    }

    @Test
    void aStoreWithoutTransactionsSaysSo() throws Exception {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        try (Sluice sluice = Sluice.builder().store(InMemoryJobStore.builder().build())
                .handler("book", String.class, (order, ctx) -> {
                    try (Connection connection = dataSource.getConnection()) {
                        ctx.succeedIn(connection, "booked");
                    } catch (RuntimeException e) {
                        refused.set(e);
                    }
                    return null;
                })
                .build().start()) {
            sluice.await(sluice.submit(JobRequest.of("book", "order-9")), PATIENCE);
            assertThat(refused.get()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("TransactionalCompletion");
        }
    }
}
