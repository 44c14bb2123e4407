package dev.sluice.jdbc;

import dev.sluice.JobId;
import dev.sluice.Priority;
import dev.sluice.store.NewJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * MariaDB has no notifications: a node hears about work another node enqueued only through the due-work poll.
 * (The poll's statement once failed on MariaDB, which has no CAST(... AS BIGINT), and nobody was woken.)
 */
@DisabledIf(value = "dev.sluice.jdbc.TestDatabases#mariaDbMissing",
        disabledReason = "no MariaDB answers on 127.0.0.1:3306 (root, empty password, database test)")
class MariaDbWakeUpTest {

    private final String prefix = TestDatabases.uniqueName("wake") + "_";
    private JdbcJobStore listening;
    private JdbcJobStore enqueuing;

    @AfterEach
    void drop() {
        listening.close();
        enqueuing.close();
        TestDatabases.dropMariaDbTables(prefix);
    }

    @Test
    void enqueueOnAnotherNodeWakesTheSubscriberByThePoll() throws Exception {
        listening = JdbcJobStore.builder(TestDatabases.mariaDb()).tablePrefix(prefix).createSchema(true)
                .pollInterval(Duration.ofMillis(50)).build();
        enqueuing = JdbcJobStore.builder(TestDatabases.mariaDb()).tablePrefix(prefix).build();
        AtomicInteger wakeUps = new AtomicInteger();
        try (AutoCloseable subscription = listening.subscribe(wakeUps::incrementAndGet)) {
            enqueuing.enqueue(List.of(new NewJob(JobId.next(), "t", "default", Priority.NORMAL, new byte[0], 0, 1, 0,
                    null, null, System.currentTimeMillis())));
            await().atMost(Duration.ofSeconds(5)).until(() -> wakeUps.get() > 0);
        }
    }
}
