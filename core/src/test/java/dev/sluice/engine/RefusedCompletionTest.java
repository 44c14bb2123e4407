package dev.sluice.engine;

import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.store.Completion;
import dev.sluice.store.ForwardingJobStore;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.JobStore;
import dev.sluice.store.LeaseRef;
import dev.sluice.store.LeaseStatus;
import dev.sluice.store.WriteResult;
import dev.sluice.store.contract.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.engine.EngineTesting.PATIENCE;
import static dev.sluice.engine.EngineTesting.engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One completion the store refuses for good (a result it will not take) must not hold up the node's other
 * completions, while a store that is down as a whole must not make the engine give up any completion.
 */
@Timeout(60)
class RefusedCompletionTest {

    private static final int JOBS = 200;
    private static final String POISON = "POISON";
    private static final String VICTIM = "VICTIM";

    @Test
    void aResultTheStoreRefusesIsRecordedDeadAndTheOthersAreWritten() {
        RefusingStore store = new RefusingStore(InMemoryJobStore.builder().build());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Sluice sluice = engine().store(store).meterRegistry(meters).concurrency(4)
                .handler("t", Integer.class, (n, ctx) -> n == 57 ? POISON : "ok " + n)
                .build().start()) {
            List<JobId> ids = submit(sluice);

            await().atMost(PATIENCE).until(() -> finished(sluice, ids) == JOBS);
            for (int n = 0; n < JOBS; n++) {
                JobInfo info = sluice.find(ids.get(n)).orElseThrow();
                if (n == 57) {
                    assertThat(info.state()).isEqualTo(JobState.DEAD);
                    assertThat(info.lastError()).hasValueSatisfying(error -> assertThat(error)
                            .contains("refused to record this attempt's outcome (SUCCEEDED)")
                            .contains("value too long for the test's column"));
                } else {
                    assertThat(info.state()).as("job %d", n).isEqualTo(JobState.SUCCEEDED);
                }
            }
            assertThat(meters.get("sluice.completions.refused").counter().count()).isEqualTo(1.0);
            assertThat(meters.get("sluice.completions.stale").counter().count()).isZero();
        }
    }

    @Test
    void aStoreThatIsDownAsAWholeKeepsEveryCompletionUntilItIsBack() {
        RefusingStore store = new RefusingStore(InMemoryJobStore.builder().build());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AtomicInteger ran = new AtomicInteger();
        try (Sluice sluice = engine().store(store).meterRegistry(meters).concurrency(4)
                .handler("t", Integer.class, (n, ctx) -> {
                    if (ran.incrementAndGet() == JOBS / 2) {
                        store.down = true; // completions and renewals fail from here on
                    }
                    return "ok " + n;
                })
                .build().start()) {
            List<JobId> ids = submit(sluice);
            // Past the isolation threshold (3 failures): an outage must not set any completion apart.
            await().atMost(PATIENCE).until(() -> store.refusedWrites.get() >= 5);
            store.down = false;

            await().atMost(PATIENCE).until(() -> finished(sluice, ids) == JOBS);
            assertThat(ids).allSatisfy(id ->
                    assertThat(sluice.find(id).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED));
            assertThat(meters.get("sluice.completions.refused").counter().count()).isZero();
        }
    }

    @Test
    void aJobWhoseDeadRecordIsRefusedTooIsGivenUpAndRecoveredAfterItsLease() {
        MutableClock storeClock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        RefusingStore store = new RefusingStore(InMemoryJobStore.builder().clock(storeClock).build());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AtomicInteger attemptsOfVictim = new AtomicInteger();
        try (Sluice sluice = engine().store(store).meterRegistry(meters).concurrency(2)
                .leaseDuration(Duration.ofSeconds(30))
                .recoveryInterval(Duration.ofMillis(50))
                .handler("t", Integer.class, (n, ctx) -> {
                    if (n == 7 && attemptsOfVictim.incrementAndGet() == 1) {
                        return VICTIM; // the store refuses this job's completions from here on
                    }
                    return "ok " + n;
                })
                .build().start()) {
            List<JobId> ids = new ArrayList<>();
            ids.add(sluice.submit("t", 1));
            JobId victim = sluice.submit("t", 7);
            ids.add(sluice.submit("t", 2));

            // The victim's completions, DEAD included, are refused; the writer moves on to the others.
            await().atMost(PATIENCE).until(() -> finished(sluice, ids) == 2);
            assertThat(sluice.find(victim).orElseThrow().state()).isEqualTo(JobState.RUNNING);
            JobId later = sluice.submit("t", 3);
            await().atMost(PATIENCE).until(() -> finished(sluice, List.of(later)) == 1);

            // Nobody renews the given-up lease: once it expires the job runs again and, refused no longer, ends.
            store.accept(victim);
            storeClock.advance(Duration.ofSeconds(31));
            await().atMost(PATIENCE).until(() -> sluice.find(victim).orElseThrow().state() == JobState.SUCCEEDED);
            assertThat(attemptsOfVictim.get()).isEqualTo(2);
            assertThat(meters.get("sluice.completions.refused").counter().count()).isEqualTo(1.0);
        }
    }

    private static List<JobId> submit(Sluice sluice) {
        List<JobRequest> requests = new ArrayList<>();
        for (int n = 0; n < JOBS; n++) {
            requests.add(JobRequest.of("t", n));
        }
        return sluice.submitAll(requests);
    }

    private static long finished(Sluice sluice, List<JobId> ids) {
        return ids.stream().map(id -> sluice.find(id).orElseThrow().state()).filter(JobState::isTerminal).count();
    }

    /**
     * A real in-memory store behind a database's refusals: a result containing {@value #POISON} is "too long for
     * its column", a job that once returned {@value #VICTIM} has every completion refused until {@link #accept},
     * and the whole store can go down.
     */
    private static final class RefusingStore extends ForwardingJobStore {

        volatile boolean down;
        final AtomicInteger refusedWrites = new AtomicInteger();
        private final Set<JobId> refused = ConcurrentHashMap.newKeySet();

        RefusingStore(JobStore delegate) {
            super(delegate);
        }

        void accept(JobId id) {
            refused.remove(id);
        }

        @Override
        public List<WriteResult> completeAll(List<Completion> completions) {
            if (down) {
                refusedWrites.incrementAndGet();
                throw new IllegalStateException("connection refused (the test's outage)");
            }
            for (Completion c : completions) {
                String result = c.result() == null ? "" : new String(c.result(), StandardCharsets.UTF_8);
                if (result.contains(VICTIM)) {
                    refused.add(c.id());
                }
                if (result.contains(POISON) || refused.contains(c.id())) {
                    refusedWrites.incrementAndGet();
                    throw new IllegalArgumentException("value too long for the test's column");
                }
            }
            return super.completeAll(completions);
        }

        @Override
        public List<LeaseStatus> renewLeases(List<LeaseRef> leases, long leaseMillis) {
            if (down) {
                throw new IllegalStateException("connection refused (the test's outage)");
            }
            return super.renewLeases(leases, leaseMillis);
        }
    }
}
