package dev.sluice.engine;

import dev.sluice.JobHandler;
import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.QueueConfig;
import dev.sluice.Sluice;
import dev.sluice.store.Completion;
import dev.sluice.store.ForwardingJobStore;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.JobStore;
import dev.sluice.store.QueueStats;
import dev.sluice.store.WriteResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.engine.EngineTesting.PATIENCE;
import static dev.sluice.engine.EngineTesting.engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Limits on jobs running at once: per queue, per engine, per tenant. */
@Timeout(30)
class ConcurrencyLimitsTest {

    /** Counts running handlers and remembers the most seen at once. */
    static final class RunningCount {
        private final AtomicInteger now = new AtomicInteger();
        private final AtomicInteger max = new AtomicInteger();

        void enter() {
            max.accumulateAndGet(now.incrementAndGet(), Math::max);
        }

        void exit() {
            now.decrementAndGet();
        }

        /** A handler that counts itself running until {@code release} opens, then returns its payload. */
        JobHandler<String> blockingUntil(CountDownLatch release) {
            return (payload, ctx) -> {
                enter();
                try {
                    release.await();
                    return payload;
                } finally {
                    exit();
                }
            };
        }

        int now() {
            return now.get();
        }

        int max() {
            return max.get();
        }
    }

    @Test
    void queueRunsNoMoreJobsAtOnceThanItsConcurrency() throws Exception {
        RunningCount running = new RunningCount();
        CountDownLatch release = new CountDownLatch(1);
        try (Sluice sluice = engine()
                .queue(QueueConfig.of("q", 2))
                .handler("block", String.class, running.blockingUntil(release))
                .handler("quick", String.class, (payload, ctx) -> payload)
                .build().start()) {
            List<JobRequest> requests = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                requests.add(JobRequest.builder("block").payload("b" + i).queue("q").build());
            }
            List<JobId> ids = sluice.submitAll(requests);
            await().atMost(PATIENCE).until(() -> running.now() >= 2);

            // A job of another queue that finishes proves the dispatcher claimed again while q was full.
            assertThat(sluice.await(sluice.submit("quick", "x"), PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            QueueStats q = sluice.stats().queues().get("q");
            assertThat(q.count(JobState.RUNNING)).isEqualTo(2);
            assertThat(q.count(JobState.READY)).isEqualTo(8);

            release.countDown();
            for (JobId id : ids) {
                assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            }
            assertThat(running.max()).isEqualTo(2);
        }
    }

    @Test
    void engineConcurrencyCapsTheSumOfLargerQueueLimits() throws Exception {
        RunningCount running = new RunningCount();
        CountDownLatch release = new CountDownLatch(1);
        // Queues a and b allow 2 each and "default" 3 (the engine's concurrency): 7 in all, capped at 3.
        try (Sluice sluice = engine()
                .concurrency(3)
                .claimAhead(2)
                .queue(QueueConfig.of("a", 2))
                .queue(QueueConfig.of("b", 2))
                .handler("block", String.class, running.blockingUntil(release))
                .build().start()) {
            List<JobRequest> requests = new ArrayList<>();
            for (String queue : List.of("a", "b", "default")) {
                for (int i = 0; i < 3; i++) {
                    requests.add(JobRequest.builder("block").payload(queue + i).queue(queue).build());
                }
            }
            List<JobId> ids = sluice.submitAll(requests);
            await().atMost(PATIENCE).until(() -> running.now() >= 3);

            // Claim-ahead lets the node hold 3 + 2 jobs; none of the held ones may start while 3 run.
            await().atMost(PATIENCE).until(() -> sluice.jobsInFlight() == 5);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> running.now() == 3);

            release.countDown();
            for (JobId id : ids) {
                assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            }
            assertThat(running.max()).isEqualTo(3);
        }
    }

    @Test
    void tenantCannotTakeMoreThanItsShareOfAQueue() throws Exception {
        RunningCount tenantA = new RunningCount();
        CountDownLatch release = new CountDownLatch(1);
        try (Sluice sluice = engine()
                .queue(QueueConfig.builder("shared").concurrency(4).tenantShare(0.5).build())
                .handler("block", String.class, tenantA.blockingUntil(release))
                .handler("quick", String.class, (payload, ctx) -> payload)
                .build().start()) {
            List<JobRequest> requests = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                requests.add(JobRequest.builder("block").payload("a" + i).queue("shared").tenant("A").build());
            }
            List<JobId> aJobs = sluice.submitAll(requests);
            await().atMost(PATIENCE).until(() -> tenantA.now() >= 2);

            JobId b1 = sluice.submit(JobRequest.builder("quick").payload("b1").queue("shared").tenant("B").build());
            JobId b2 = sluice.submit(JobRequest.builder("quick").payload("b2").queue("shared").tenant("B").build());

            // B gets the free slots although A was first and still has 18 jobs waiting.
            assertThat(sluice.await(b1, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(sluice.await(b2, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            // Once more a claim after B's slots came free: A still may not grow past its share.
            assertThat(sluice.await(sluice.submit("quick", "other queue"), PATIENCE).state())
                    .isEqualTo(JobState.SUCCEEDED);
            assertThat(sluice.stats().queues().get("shared").count(JobState.RUNNING)).isEqualTo(2);
            assertThat(tenantA.now()).isEqualTo(2);

            release.countDown();
            for (JobId id : aJobs) {
                assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            }
            assertThat(tenantA.max()).isEqualTo(2);
        }
    }

    /**
     * Regression (found by the fault harness's soak): a slot frees when its attempt ends, but the job keeps its
     * lease until its completion is written; while the writer was stuck, the node claimed on every freed slot and
     * held the whole queue under its leases. Now it holds at most its slots plus one completion batch.
     */
    @Test
    void aStuckCompletionWriterStopsTheNodeFromClaimingMore() throws Exception {
        InMemoryJobStore memory = InMemoryJobStore.builder().build();
        CountDownLatch writesAllowed = new CountDownLatch(1);
        JobStore stuckWrites = new ForwardingJobStore(memory) {
            @Override
            public List<WriteResult> completeAll(List<Completion> completions) {
                try {
                    writesAllowed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.completeAll(completions);
            }
        };
        try (Sluice sluice = engine()
                .store(stuckWrites)
                .concurrency(2)
                .completionBatchSize(4)
                .handler("noop", String.class, (payload, ctx) -> payload)
                .build().start()) {
            List<JobRequest> requests = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                requests.add(JobRequest.of("noop", "job" + i));
            }
            List<JobId> ids = sluice.submitAll(requests);

            // 2 slots + 1 batch of 4 unwritten completions, and no more for as long as the writes are stuck
            await().atMost(PATIENCE).until(() -> memory.stats().total(JobState.RUNNING) == 6);
            await().during(Duration.ofMillis(500)).atMost(PATIENCE)
                    .until(() -> memory.stats().total(JobState.RUNNING) == 6);

            writesAllowed.countDown();
            for (JobId id : ids) {
                assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            }
        }
    }
}
