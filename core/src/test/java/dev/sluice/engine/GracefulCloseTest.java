package dev.sluice.engine;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.StoredJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.sluice.engine.EngineTesting.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class GracefulCloseTest {

    @Test
    void closeHandsUnstartedClaimsBackAtOnceAndLetsTheRunningJobFinish() throws Exception {
        InMemoryJobStore store = InMemoryJobStore.builder().build();
        AtomicReference<JobId> runningJob = new AtomicReference<>();
        AtomicInteger handlerCalls = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Sluice sluice = Sluice.builder()
                .store(store)
                .concurrency(1)
                .claimAhead(4)
                .drainTimeout(Duration.ofSeconds(30))
                .handler("hold", String.class, (payload, ctx) -> {
                    handlerCalls.incrementAndGet();
                    runningJob.set(ctx.jobId());
                    running.countDown();
                    release.await();
                    return payload;
                })
                .build().start();
        Thread closer = new Thread(sluice::close, "test-closer");
        try {
            List<JobRequest> requests = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                requests.add(JobRequest.of("hold", "job" + i));
            }
            List<JobId> ids = sluice.submitAll(requests);
            assertThat(running.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            // one running and four claimed ahead, all under this node's lease
            await().atMost(PATIENCE).until(() -> store.stats().total(JobState.RUNNING) == 5);
            List<JobId> unstarted = new ArrayList<>(ids);
            unstarted.remove(runningJob.get());

            closer.start();

            await().atMost(PATIENCE).untilAsserted(() -> {
                for (StoredJob job : store.findAll(unstarted)) {
                    assertThat(job.state()).as("%s", job.id()).isEqualTo(JobState.READY);
                    assertThat(job.attempts()).as("%s", job.id()).isZero();
                    assertThat(job.leaseOwner()).isNull();
                }
            });
            assertThat(closer.isAlive()).as("close waits for the running job").isTrue();
            assertThat(store.find(runningJob.get()).orElseThrow().state()).isEqualTo(JobState.RUNNING);

            release.countDown();
            closer.join(PATIENCE.toMillis());

            assertThat(closer.isAlive()).as("close returned").isFalse();
            StoredJob finished = store.find(runningJob.get()).orElseThrow();
            assertThat(finished.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(finished.attempts()).isEqualTo(1);
            assertThat(store.stats().total(JobState.READY)).isEqualTo(4);
            assertThat(handlerCalls).hasValue(1);
        } finally {
            release.countDown();
            sluice.close();
        }
    }

    @Test
    void closingTwiceIsHarmlessAndAClosedEngineRefusesWork() {
        Sluice sluice = Sluice.builder()
                .handler("echo", String.class, (payload, ctx) -> payload)
                .build().start();

        sluice.close();
        sluice.close();

        assertThatThrownBy(() -> sluice.submit("echo", "late"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> sluice.submitAll(List.of(JobRequest.of("echo", "late"))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(sluice::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot start again");
    }

    @Test
    void closingAnEngineThatNeverStartedIsHarmless() {
        Sluice sluice = Sluice.builder()
                .handler("echo", String.class, (payload, ctx) -> payload)
                .build();

        sluice.close();

        assertThatThrownBy(() -> sluice.submit("echo", "late")).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Regression (found by the fault harness, clock-skew scenario): hand-backs were stamped with the node's clock,
     * so a node whose clock ran ahead of the store's parked the jobs it handed back SCHEDULED until its own time.
     */
    @Test
    void jobsHandedBackByANodeWhoseClockRunsAheadAreReadyAtOnce() throws Exception {
        InMemoryJobStore store = InMemoryJobStore.builder().build();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Sluice ahead = Sluice.builder()
                .store(store)
                .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(1)))
                .concurrency(1)
                .claimAhead(3)
                .drainTimeout(Duration.ofMillis(200))
                .handler("hold", String.class, (payload, ctx) -> {
                    running.countDown();
                    release.await(); // interrupted at the drain timeout: handed back as well
                    return payload;
                })
                .build().start();
        List<JobId> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(ahead.submit(JobRequest.of("hold", "job" + i)));
        }
        assertThat(running.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        await().atMost(PATIENCE).until(() -> store.stats().total(JobState.RUNNING) == 4);

        ahead.close();

        for (StoredJob job : store.findAll(ids)) {
            assertThat(job.state()).as("%s handed back", job.id()).isEqualTo(JobState.READY);
            assertThat(job.attempts()).as("%s attempts", job.id()).isZero();
        }
    }
}
