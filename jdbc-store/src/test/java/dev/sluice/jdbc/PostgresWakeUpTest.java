package dev.sluice.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.JobId;
import dev.sluice.Priority;
import dev.sluice.store.NewJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/** A node hears about work enqueued by another node through LISTEN/NOTIFY, well before its fallback poll. */
class PostgresWakeUpTest {

    private final String schema = TestDatabases.uniqueName("wake");
    private JdbcJobStore listening;
    private JdbcJobStore enqueuing;
    private HikariDataSource otherPool;

    @AfterEach
    void drop() {
        listening.close();
        enqueuing.close();
        otherPool.close();
        TestDatabases.execute(TestDatabases.postgres(), "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }

    @Test
    void enqueueOnAnotherNodeWakesTheSubscriberByNotification() throws Exception {
        listening = JdbcJobStore.builder(TestDatabases.postgres()).schema(schema).createSchema(true)
                .pollInterval(Duration.ofMinutes(10)).build();
        otherPool = TestDatabases.newPostgresPool("sluice-wake", 2);
        enqueuing = JdbcJobStore.builder(otherPool).schema(schema).build();
        AtomicInteger wakeUps = new AtomicInteger();
        try (AutoCloseable subscription = listening.subscribe(wakeUps::incrementAndGet)) {
            // A notification sent before the LISTEN connection is up is lost (it is a hint, not a queue): enqueue
            // again on each look until one is heard.
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
                enqueuing.enqueue(List.of(new NewJob(JobId.next(), "t", "default", Priority.NORMAL,
                        "x".getBytes(StandardCharsets.UTF_8), 0, 1, 0, null, null, System.currentTimeMillis())));
                return wakeUps.get() > 0;
            });
        }
    }
}
