package dev.sluice.redis;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.store.StoredJob;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Durability: a Redis of its own with {@code appendonly yes, appendfsync always} is killed (SIGKILL) in the middle
 * of a run and started again on the same files. Nothing that Redis acknowledged may be lost: every submitted job
 * is there, every completion accepted before the kill is still SUCCEEDED, and the engine finishes the run.
 */
@Timeout(180)
class PersistenceTest {

    private static final Logger LOG = LoggerFactory.getLogger(PersistenceTest.class);
    private static final int JOBS = 4_000;
    private static final int BATCH = 200;

    @Test
    void withAppendfsyncAlwaysNothingAcknowledgedIsLostWhenRedisIsKilledMidRun() {
        Map<JobId, AtomicInteger> accepted = new ConcurrentHashMap<>();
        Map<JobId, AtomicInteger> executions = new ConcurrentHashMap<>();
        try (RedisServerProcess server = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always")) {
            RedisClient client = RedisClient.create(server.uri());
            try (RedisJobStore store = RedisJobStore.builder().client(client).keyPrefix("durable:")
                    .retainFinished(JOBS).build();
                 Sluice engine = Sluice.builder().store(new CountingJobStore(store, accepted)).concurrency(8)
                         .leaseDuration(Duration.ofSeconds(3)).recoveryInterval(Duration.ofMillis(500))
                         .handler("work", String.class, (payload, context) -> {
                             executions.computeIfAbsent(context.jobId(), id -> new AtomicInteger()).incrementAndGet();
                             return null;
                         })
                         .build().start()) {
                List<JobId> submitted = new ArrayList<>(JOBS);
                for (int from = 0; from < JOBS; from += BATCH) {
                    List<JobRequest> batch = new ArrayList<>(BATCH);
                    for (int i = from; i < from + BATCH; i++) {
                        batch.add(JobRequest.of("work", Integer.toString(i)));
                    }
                    submitted.addAll(engine.submitAll(batch));
                    if (from == JOBS / 2) {
                        // between two submissions (none in flight), while the engine claims and completes
                        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 500);
                        Set<JobId> completedBeforeKill = Set.copyOf(accepted.keySet());
                        server.kill();
                        server.startAgain();

                        List<StoredJob> afterRestart = store.findAll(submitted);
                        assertThat(afterRestart).as("submitted jobs after the restart").hasSize(submitted.size());
                        assertThat(store.findAll(completedBeforeKill))
                                .as("jobs whose completion Redis accepted before the kill")
                                .hasSize(completedBeforeKill.size())
                                .allSatisfy(job -> assertThat(job.state()).isEqualTo(JobState.SUCCEEDED));
                        LOG.info("Redis killed and restarted after {} submitted and {} completed jobs: all there",
                                submitted.size(), completedBeforeKill.size());
                    }
                }

                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                        .until(() -> store.stats().total(JobState.SUCCEEDED) == JOBS);
                assertThat(store.findAll(submitted)).hasSize(JOBS)
                        .allSatisfy(job -> assertThat(job.state()).isEqualTo(JobState.SUCCEEDED));
                // a completion in flight at the kill fails with a connection error and the engine writes it again;
                // when Redis had applied it, the second write is STALE: its job is counted 0 times here, never twice
                assertThat(accepted.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
                long ranTwice = executions.values().stream().filter(n -> n.get() > 1).count();
                LOG.info("{} jobs ran more than once (claims in flight at the kill, recovered after their lease)",
                        ranTwice);
            } finally {
                client.shutdown();
            }
        }
    }
}
