package dev.sluice.engine;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import static dev.sluice.engine.EngineTesting.engine;
import static dev.sluice.engine.EngineTesting.storedJobs;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class UniqueKeyStormTest {

    @RepeatedTest(5)
    void sixteenThreadsSubmittingOneUniqueKeyYieldOneJob() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Sluice sluice = engine().handler("report", String.class, (p, ctx) -> p).build()) {
            CountDownLatch go = new CountDownLatch(1);
            Set<JobId> ids = ConcurrentHashMap.newKeySet();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 20; i++) {
                        ids.add(sluice.submit(JobRequest.builder("report").payload("from " + thread)
                                .uniqueKey("report-2024-05").build()));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            assertThat(ids).hasSize(1);
            assertThat(storedJobs(sluice.stats())).isEqualTo(1);
            assertThat(sluice.find(ids.iterator().next()).orElseThrow().state()).isEqualTo(JobState.READY);
        } finally {
            pool.shutdownNow();
        }
    }
}
