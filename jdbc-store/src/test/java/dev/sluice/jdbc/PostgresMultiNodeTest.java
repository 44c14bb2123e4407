package dev.sluice.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.store.StoredJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three engines, each with its own pool and store object, on one PostgreSQL schema: every job runs exactly once
 * and ends SUCCEEDED.
 */
class PostgresMultiNodeTest {

    private static final int JOBS = 20_000;

    private final String schema = TestDatabases.uniqueName("multi");
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        TestDatabases.execute(TestDatabases.postgres(), "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void threeNodesRunTwentyThousandJobsEachExactlyOnce() {
        Map<JobId, AtomicInteger> executions = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> perNode = new ConcurrentHashMap<>();
        List<Sluice> nodes = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            String node = "node-" + n;
            HikariDataSource pool = TestDatabases.newPostgresPool("sluice-" + node, 6);
            toClose.add(pool);
            JdbcJobStore store = JdbcJobStore.builder(pool).schema(schema).createSchema(true).build();
            toClose.add(store);
            Sluice sluice = Sluice.builder().store(store).nodeId(node).concurrency(16).claimAhead(64)
                    .handler("noop", String.class, (payload, context) -> {
                        executions.computeIfAbsent(context.jobId(), id -> new AtomicInteger()).incrementAndGet();
                        perNode.computeIfAbsent(node, k -> new AtomicInteger()).incrementAndGet();
                        return null;
                    })
                    .build();
            toClose.add(sluice);
            nodes.add(sluice);
        }
        nodes.forEach(Sluice::start);

        long started = System.nanoTime();
        Set<JobId> submitted = new HashSet<>();
        List<JobRequest> chunk = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            chunk.add(JobRequest.of("noop", "job-" + i));
            if (chunk.size() == 1_000) {
                submitted.addAll(nodes.get(i % 3).submitAll(chunk));
                chunk.clear();
            }
        }
        assertThat(submitted).hasSize(JOBS);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> nodes.get(0).stats().total(JobState.SUCCEEDED) == JOBS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(executions.keySet()).as("every job ran").containsExactlyInAnyOrderElementsOf(submitted);
        assertThat(executions.values()).as("no job ran twice").allSatisfy(count -> assertThat(count).hasValue(1));
        List<StoredJob> all = new ArrayList<>();
        JobQuery page = new JobQuery(null, null, null, null, 10_000);
        List<StoredJob> batch;
        while (!(batch = nodes.get(1).store().list(page)).isEmpty()) {
            all.addAll(batch);
            page = page.after(batch.get(batch.size() - 1).id());
        }
        assertThat(all).hasSize(JOBS).allSatisfy(job -> {
            assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.attempts()).isEqualTo(1);
        });
        assertThat(perNode).as("every node worked").hasSize(3);
        System.out.printf("3 nodes ran %d jobs in %d ms (%.0f jobs/s); per node %s%n", JOBS, millis,
                JOBS * 1000.0 / millis, perNode);
    }
}
