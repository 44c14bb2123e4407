package dev.sluice.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.store.StoredJob;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An engine on a real PostgreSQL store whose pool stops handing out connections for two seconds, while jobs
 * are running, buffered and waiting: nothing is lost, nothing runs twice, the completions written during the
 * outage are kept and retried, and all work (old and new) is done within 10 s of the database answering again.
 */
class PostgresOutageTest {

    private static final int JOBS_BEFORE = 2_000;
    private static final int JOBS_AFTER = 2_000;
    private static final Duration OUTAGE = Duration.ofSeconds(2);
    private static final Duration BACK_WITHIN = Duration.ofSeconds(10);

    private final String schema = TestDatabases.uniqueName("outage");
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private FaultInjectingDataSource database;

    @AfterEach
    void closeEverything() throws Exception {
        if (database != null) {
            database.failConnections(false); // a failed test must not leave the engine's close to the outage
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        TestDatabases.execute(TestDatabases.postgres(), "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void jobsSubmittedBeforeAnOutageCompleteAfterItAndThroughputIsBackWithinTenSeconds() {
        HikariDataSource pool = TestDatabases.newPostgresPool("sluice-outage", 8);
        toClose.add(pool);
        database = new FaultInjectingDataSource(pool);
        JdbcJobStore store = JdbcJobStore.builder(database).schema(schema).createSchema(true).build();
        toClose.add(store);
        // Reads the same tables through the pool itself, which the outage does not touch.
        JdbcJobStore observer = JdbcJobStore.builder(pool).schema(schema).build();
        toClose.add(observer);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Map<JobId, AtomicInteger> executions = new ConcurrentHashMap<>();
        CountDownLatch outageStarted = new CountDownLatch(1);
        Sluice sluice = Sluice.builder().store(store).nodeId("outage-node").concurrency(8).claimAhead(64)
                .meterRegistry(meters)
                .handler("noop", String.class, (payload, context) -> {
                    // The first jobs hold their workers until the outage has begun, so that attempts end, and
                    // their completions must be written, while the database is away.
                    outageStarted.await(20, TimeUnit.SECONDS);
                    executions.computeIfAbsent(context.jobId(), id -> new AtomicInteger()).incrementAndGet();
                    return null;
                })
                .build();
        toClose.add(sluice);
        sluice.start();

        List<JobId> submitted = new ArrayList<>(submit(sluice, "before", JOBS_BEFORE));
        await().atMost(Duration.ofSeconds(10)).until(() -> sluice.jobsInFlight() > 0);

        database.failConnections(true);
        outageStarted.countDown();
        // The outage lasts OUTAGE: a fault's length, not a wait for a result. It ends only once the engine has
        // met it (connections refused, attempts ended with their completions unwritten).
        await().pollDelay(OUTAGE).atMost(OUTAGE.plusSeconds(10))
                .until(() -> database.refusedConnections() > 0 && storeErrors(meters) > 0
                        && !executions.isEmpty());
        assertThat(observer.stats().total(JobState.SUCCEEDED)).as("nothing finished during the outage").isZero();
        long restored = System.nanoTime();
        database.failConnections(false);

        submitted.addAll(submit(sluice, "after", JOBS_AFTER));
        int total = JOBS_BEFORE + JOBS_AFTER;
        await().atMost(BACK_WITHIN).pollInterval(Duration.ofMillis(50))
                .until(() -> observer.stats().total(JobState.SUCCEEDED) == total);
        long backMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restored);

        List<StoredJob> all = listAll(sluice);
        assertThat(all).as("nothing lost").hasSize(total)
                .allSatisfy(job -> assertThat(job.state()).isEqualTo(JobState.SUCCEEDED));
        assertThat(executions.keySet()).as("every job ran").containsExactlyInAnyOrderElementsOf(submitted);
        assertThat(executions.values()).as("no job ran twice").allSatisfy(count -> assertThat(count).hasValue(1));
        System.out.printf("outage of %s: %d connections refused, %.0f store errors; all %d jobs done %d ms after "
                + "the database came back%n", OUTAGE, database.refusedConnections(), storeErrors(meters), total,
                backMillis);
    }

    private static List<JobId> submit(Sluice sluice, String prefix, int count) {
        List<JobRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(JobRequest.of("noop", prefix + "-" + i));
        }
        return sluice.submitAll(requests);
    }

    private static double storeErrors(SimpleMeterRegistry meters) {
        return meters.counter("sluice.store.errors").count();
    }

    private static List<StoredJob> listAll(Sluice node) {
        List<StoredJob> all = new ArrayList<>();
        JobQuery page = new JobQuery(null, null, null, null, 10_000);
        List<StoredJob> batch;
        while (!(batch = node.store().list(page)).isEmpty()) {
            all.addAll(batch);
            page = page.after(batch.get(batch.size() - 1).id());
        }
        return all;
    }
}
