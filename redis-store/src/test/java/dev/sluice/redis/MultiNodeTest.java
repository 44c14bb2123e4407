package dev.sluice.redis;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.QueueClaim;
import dev.sluice.store.StoredJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Three engines, each with its own store and connection on one Redis, share one stream of jobs. */
@Timeout(90)
class MultiNodeTest {

    private static final Logger LOG = LoggerFactory.getLogger(MultiNodeTest.class);
    private static final int NODES = 3;
    private static final int JOBS = 20_000;
    private static final int BATCH = 500;

    private final String prefix = TestRedis.freshPrefix();

    @AfterEach
    void deleteKeys() {
        TestRedis.deleteKeys(prefix);
    }

    /**
     * A fourth node claims jobs under a short lease and dies at once: it never runs, renews or completes them,
     * as a JVM that crashed right after its claim. The engines' lease recovery must hand them to the others.
     */
    private static int crashMidRun(RedisJobStore store) {
        return store.claim(new ClaimRequest("node-crashed", 1_000, 50,
                List.of(new QueueClaim(JobRequest.DEFAULT_QUEUE, 50, Integer.MAX_VALUE, Map.of())))).jobs().size();
    }

    @Test
    void threeEnginesRunTwentyThousandJobsWithNoneLostAndNoneCompletedTwiceThoughANodeCrashes() {
        Map<JobId, AtomicInteger> executions = new ConcurrentHashMap<>();
        Map<JobId, AtomicInteger> acceptedCompletions = new ConcurrentHashMap<>();
        List<Sluice> engines = new ArrayList<>();
        List<RedisJobStore> stores = new ArrayList<>();
        long started = System.nanoTime();
        try {
            for (int node = 0; node < NODES; node++) {
                RedisJobStore store = RedisJobStore.builder().client(TestRedis.client()).keyPrefix(prefix)
                        .retainFinished(JOBS).build();
                stores.add(store);
                engines.add(Sluice.builder()
                        .store(new CountingJobStore(store, acceptedCompletions))
                        .nodeId("node-" + node)
                        .concurrency(16)
                        .drainTimeout(Duration.ofSeconds(5))
                        .recoveryInterval(Duration.ofMillis(500))
                        .handler("noop", String.class, (n, context) -> {
                            executions.computeIfAbsent(context.jobId(), id -> new AtomicInteger()).incrementAndGet();
                            return null;
                        })
                        .build().start());
            }
            List<JobId> submitted = new ArrayList<>(JOBS);
            int crashedClaims = 0;
            for (int from = 0; from < JOBS; from += BATCH) {
                List<JobRequest> batch = new ArrayList<>(BATCH);
                for (int i = from; i < from + BATCH; i++) {
                    batch.add(JobRequest.of("noop", Integer.toString(i)));
                }
                // spread the submissions over the nodes, as several producers would
                submitted.addAll(engines.get((from / BATCH) % NODES).submitAll(batch));
                if (from == JOBS / 2) {
                    crashedClaims = crashMidRun(stores.get(0));
                }
            }

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> stores.get(0).stats().total(JobState.SUCCEEDED) == JOBS);
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            LOG.info("{} engines ran {} jobs in {} ms; {} jobs held by a crashed node were recovered", NODES, JOBS,
                    elapsedMillis, crashedClaims);

            assertThat(crashedClaims).as("jobs the crashed node held").isPositive();
            assertThat(submitted).hasSize(JOBS).doesNotHaveDuplicates();
            assertThat(executions.keySet()).as("every job ran").containsExactlyInAnyOrderElementsOf(submitted);
            assertThat(executions.values()).as("no job ran twice").allSatisfy(n -> assertThat(n).hasValue(1));
            assertThat(acceptedCompletions.keySet()).containsExactlyInAnyOrderElementsOf(submitted);
            assertThat(acceptedCompletions.values()).as("no completion accepted twice")
                    .allSatisfy(n -> assertThat(n).hasValue(1));
            List<StoredJob> stored = stores.get(0).findAll(submitted);
            assertThat(stored).hasSize(JOBS).allSatisfy(job -> assertThat(job.state()).isEqualTo(JobState.SUCCEEDED));
        } finally {
            engines.forEach(Sluice::close);
            stores.forEach(RedisJobStore::close);
        }
    }
}
