package dev.sluice.engine;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.engine.EngineTesting.PATIENCE;
import static dev.sluice.engine.EngineTesting.engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class ConcurrentSubmitTest {

    private static final int PRODUCERS = 4;
    private static final int JOBS_PER_PRODUCER = 5_000;
    private static final int JOBS = PRODUCERS * JOBS_PER_PRODUCER;

    @Test
    void everyJobSubmittedFromManyThreadsRunsExactlyOnce() throws Exception {
        // keep every finished job, so that each one's end state can be checked
        InMemoryJobStore store = InMemoryJobStore.builder().retainFinished(JOBS).build();
        Map<JobId, AtomicInteger> executions = new ConcurrentHashMap<>();
        Set<JobId> submitted = ConcurrentHashMap.newKeySet();
        ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
        try (Sluice sluice = engine()
                .store(store)
                .concurrency(8)
                .handler("count", Integer.class, (n, ctx) -> {
                    executions.computeIfAbsent(ctx.jobId(), id -> new AtomicInteger()).incrementAndGet();
                    return null;
                })
                .build().start()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                done.add(producers.submit(() -> {
                    go.await();
                    for (int i = 0; i < JOBS_PER_PRODUCER; i++) {
                        submitted.add(sluice.submit("count", i));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }

            await().atMost(PATIENCE).until(() -> sluice.stats().total(JobState.SUCCEEDED) == JOBS);

            assertThat(submitted).hasSize(JOBS);
            assertThat(executions.keySet()).isEqualTo(submitted);
            assertThat(executions.values()).allSatisfy(n -> assertThat(n).hasValue(1));
            assertThat(store.findAll(submitted)).hasSize(JOBS)
                    .allSatisfy(job -> {
                        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
                        assertThat(job.attempts()).isEqualTo(1);
                    });
        } finally {
            producers.shutdownNow();
        }
    }
}
