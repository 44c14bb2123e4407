package dev.sluice.jdbc;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code Sluice.submitAll(connection, requests)}: jobs follow the caller's PostgreSQL transaction. */
class TransactionalSubmitTest {

    private DataSource dataSource;
    private String schema;
    private JdbcJobStore store;

    @BeforeEach
    void open() {
        dataSource = TestDatabases.postgres();
        schema = TestDatabases.uniqueName("txsubmit");
        store = JdbcJobStore.builder(dataSource).schema(schema).createSchema(true).build();
    }

    @AfterEach
    void drop() {
        store.close();
        TestDatabases.execute(dataSource, "DROP SCHEMA \"" + schema + "\" CASCADE");
    }

    @Test
    void committedJobsRunAndRolledBackJobsNeverExist() throws Exception {
        try (Sluice sluice = Sluice.builder().store(store)
                .handler("ship", String.class, (order, ctx) -> "shipped " + order)
                .build().start()) {
            List<JobId> rolledBack;
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                rolledBack = sluice.submitAll(connection, List.of(JobRequest.of("ship", "order-1")));
                connection.rollback();
            }
            List<JobId> committed;
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                committed = sluice.submitAll(connection, List.of(JobRequest.of("ship", "order-2")));
                assertThat(connection.isClosed()).isFalse();
                connection.commit();
            }

            assertThat(sluice.await(committed.get(0), Duration.ofSeconds(20)).result(String.class))
                    .contains("shipped order-2");
            assertThat(sluice.find(rolledBack.get(0))).isEmpty();
        }
    }

    @Test
    void aTransactionOfTheWrongTypeIsRefusedNamingIt() {
        try (Sluice sluice = Sluice.builder().store(store).handler("ship", String.class, (o, ctx) -> null).build()) {
            assertThatThrownBy(() -> sluice.submitAll("not a connection", List.of(JobRequest.of("ship", "x"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.sql.Connection")
                    .hasMessageContaining("java.lang.String");
            assertThat(store.stats().total(JobState.READY)).isZero();
        }
    }
}
