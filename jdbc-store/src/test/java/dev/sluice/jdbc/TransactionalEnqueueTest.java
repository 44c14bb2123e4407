package dev.sluice.jdbc;

import dev.sluice.JobId;
import dev.sluice.Priority;
import dev.sluice.store.EnqueueResult;
import dev.sluice.store.NewJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Jobs enqueued on the caller's connection follow the caller's transaction; the store never ends it. */
class TransactionalEnqueueTest {

    enum Database { POSTGRESQL, H2 }

    private DataSource dataSource;
    private String schema;
    private JdbcJobStore store;

    void open(Database database) throws Exception {
        dataSource = database == Database.POSTGRESQL ? TestDatabases.postgres() : TestDatabases.h2();
        schema = TestDatabases.uniqueName("tx");
        store = JdbcJobStore.builder(dataSource).schema(schema).createSchema(true).build();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE \"" + schema + "\".orders (id INT PRIMARY KEY)");
        }
    }

    @AfterEach
    void drop() {
        if (store != null) {
            store.close();
            TestDatabases.execute(dataSource, "DROP SCHEMA \"" + schema + "\" CASCADE");
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void jobsExistOnceTheCallersTransactionCommits(Database database) throws Exception {
        open(database);
        NewJob job = newJob();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            insertOrder(connection, 1);
            List<EnqueueResult> results = store.enqueue(connection, List.of(job));
            assertThat(results).containsExactly(new EnqueueResult(job.id(), false));
            assertThat(store.find(job.id())).as("not visible before the commit").isEmpty();
            assertThat(connection.isClosed()).isFalse();
            connection.commit();
        }
        assertThat(store.find(job.id())).isPresent();
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void jobsVanishWhenTheCallersTransactionRollsBack(Database database) throws Exception {
        open(database);
        NewJob job = newJob();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            insertOrder(connection, 2);
            store.enqueue(connection, List.of(job));
            connection.rollback();
            connection.setAutoCommit(true);
        }
        assertThat(store.find(job.id())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void connectionInAutoCommitModeIsRefused(Database database) throws Exception {
        open(database);
        try (Connection connection = dataSource.getConnection()) {
            assertThatThrownBy(() -> store.enqueue(connection, List.of(newJob())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("autoCommit");
        }
    }

    private void insertOrder(Connection connection, int id) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO \"" + schema + "\".orders (id) VALUES (" + id + ")");
        }
    }

    private static NewJob newJob() {
        return new NewJob(JobId.next(), "order.confirm", "default", Priority.NORMAL,
                "{}".getBytes(StandardCharsets.UTF_8), 0, 3, 0, null, null, System.currentTimeMillis());
    }
}
