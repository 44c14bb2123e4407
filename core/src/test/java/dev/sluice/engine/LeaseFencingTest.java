package dev.sluice.engine;

import dev.sluice.JobEvent;
import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.store.ClaimBatch;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.QueueClaim;
import dev.sluice.store.RecoveredJob;
import dev.sluice.store.StoredJob;
import dev.sluice.store.WriteResult;
import dev.sluice.store.contract.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.sluice.engine.EngineTesting.PATIENCE;
import static dev.sluice.engine.EngineTesting.engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A node that lost its lease must not overwrite the work of the node that took the job over. */
@Timeout(30)
class LeaseFencingTest {

    @Test
    void completionAfterTheLeaseWasTakenOverIsRefusedAndTheNewOwnersIsAccepted() throws Exception {
        MutableClock storeClock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        InMemoryJobStore store = InMemoryJobStore.builder().clock(storeClock).build();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RecordingListener events = new RecordingListener();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Sluice sluice = engine()
                .store(store)
                .concurrency(1) // the engine's one slot stays busy, so only the fake node can claim the job
                .leaseDuration(Duration.ofSeconds(30))
                .recoveryInterval(Duration.ofHours(1))
                .meterRegistry(meters)
                .listener(events)
                .handler("slow", String.class, (payload, ctx) -> {
                    running.countDown();
                    release.await();
                    return "from the engine";
                })
                .build().start()) {
            JobId id = sluice.submit("slow", "x");
            assertThat(running.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            StoredJob engineAttempt = store.find(id).orElseThrow();
            assertThat(engineAttempt.leaseOwner()).isEqualTo(sluice.nodeId());

            // The engine looks frozen to the cluster: its lease expires and another node takes the job.
            storeClock.advance(Duration.ofSeconds(31));
            List<RecoveredJob> recovered = store.recoverExpired(10);
            assertThat(recovered).extracting(RecoveredJob::id).containsExactly(id);
            ClaimBatch takeover = store.claim(new ClaimRequest("node-b", 30_000, 1,
                    List.of(new QueueClaim("default", 1, Integer.MAX_VALUE, Map.of()))));
            assertThat(takeover.jobs()).extracting(ClaimedJob::id).containsExactly(id);
            ClaimedJob nodeB = takeover.jobs().get(0);
            assertThat(nodeB.fencingToken()).isGreaterThan(engineAttempt.fencingToken());

            release.countDown();
            await().atMost(PATIENCE)
                    .until(() -> meters.get("sluice.completions.stale").counter().count() == 1.0);
            await().atMost(PATIENCE).until(() -> !events.eventsOf(id, JobEvent.Kind.LEASE_LOST).isEmpty());
            StoredJob afterRefusal = store.find(id).orElseThrow();
            assertThat(afterRefusal.state()).isEqualTo(JobState.RUNNING);
            assertThat(afterRefusal.leaseOwner()).isEqualTo("node-b");

            List<WriteResult> written = store.completeAll(List.of(Completion.succeeded(id, nodeB.fencingToken(),
                    "from node-b".getBytes(StandardCharsets.UTF_8))));
            assertThat(written).containsExactly(WriteResult.ACCEPTED);

            JobInfo done = sluice.await(id, PATIENCE);
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.result(String.class)).contains("from node-b");
            assertThat(events.kindsOf(id)).contains(JobEvent.Kind.LEASE_LOST).doesNotContain(JobEvent.Kind.SUCCEEDED);
            assertThat(meters.get("sluice.completions.stale").counter().count()).isEqualTo(1.0);
        }
    }

    /**
     * Regression (found by the fault harness's soak, where short leases expired under load): a node that claims
     * again a job whose lease it lost, while its first attempt still runs, used to let the end of that first
     * attempt drop the job from its held map, so it stopped renewing the second attempt's lease; that lease then
     * expired too, and so on: nodes took each other's jobs back by the thousand and attempts ran out.
     */
    @Test
    void aNodeThatClaimsAgainAJobWhoseLeaseItLostKeepsRenewingTheNewLease() throws Exception {
        MutableClock storeClock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        InMemoryJobStore store = InMemoryJobStore.builder().clock(storeClock).build();
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch secondRunning = new CountDownLatch(1);
        CountDownLatch releaseSecond = new CountDownLatch(1);
        try (Sluice sluice = engine()
                .store(store)
                .concurrency(2)
                .leaseDuration(Duration.ofSeconds(3)) // renewed every second
                .recoveryInterval(Duration.ofHours(1))
                .handler("slow", String.class, (payload, ctx) -> {
                    if (ctx.attempt() == 1) {
                        firstRunning.countDown();
                        secondRunning.await(); // ends (late) once the second attempt runs
                        return "first";
                    }
                    secondRunning.countDown();
                    releaseSecond.await();
                    return "second";
                })
                .build().start()) {
            JobId id = sluice.submit("slow", "x");
            assertThat(firstRunning.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            // The first lease expires (a stall), another node's sweep takes the job back, and this node claims it
            // again on its free slot while the first attempt still runs.
            storeClock.advance(Duration.ofSeconds(10));
            assertThat(store.recoverExpired(10)).extracting(RecoveredJob::id).containsExactly(id);
            assertThat(secondRunning.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            long secondToken = store.find(id).orElseThrow().fencingToken();

            // The first attempt ends (its completion is refused); the second attempt's lease must keep being renewed.
            long leaseBefore = store.find(id).orElseThrow().leaseExpiresAt().toEpochMilli();
            storeClock.advance(Duration.ofSeconds(1));
            await().atMost(PATIENCE).until(() -> store.find(id).orElseThrow().leaseExpiresAt().toEpochMilli()
                    > leaseBefore);
            StoredJob second = store.find(id).orElseThrow();
            assertThat(second.state()).isEqualTo(JobState.RUNNING);
            assertThat(second.fencingToken()).isEqualTo(secondToken);

            releaseSecond.countDown();
            JobInfo done = sluice.await(id, PATIENCE);
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.result(String.class)).contains("second");
        }
    }
}
