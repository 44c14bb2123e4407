package dev.sluice.engine;

import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.contract.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.sluice.engine.EngineTesting.PATIENCE;
import static dev.sluice.engine.EngineTesting.engine;
import static org.assertj.core.api.Assertions.assertThat;

/** The order in which ready jobs start: priority, reprioritization and aging (see {@link Priority}). */
@Timeout(30)
class PriorityTest {

    @Test
    void higherPriorityStartsFirst() throws Exception {
        List<String> started = new CopyOnWriteArrayList<>();
        try (Sluice sluice = engine()
                .concurrency(1)
                .handler("work", String.class, (payload, ctx) -> started.add(payload))
                .build().start()) {
            sluice.pauseQueue("default");
            List<JobId> ids = new ArrayList<>();
            // Submitted worst first, so that first-come-first-served would give the opposite order.
            for (Priority priority : List.of(Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.CRITICAL)) {
                ids.add(sluice.submit(JobRequest.builder("work").payload(priority.name()).priority(priority).build()));
            }

            sluice.resumeQueue("default");
            for (JobId id : ids) {
                assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            }

            assertThat(started).containsExactly("CRITICAL", "HIGH", "NORMAL", "LOW");
        }
    }

    @Test
    void reprioritizedWaitingJobOvertakesTheOthers() throws Exception {
        List<String> started = new CopyOnWriteArrayList<>();
        try (Sluice sluice = engine()
                .concurrency(1)
                .handler("work", String.class, (payload, ctx) -> started.add(payload))
                .build().start()) {
            sluice.pauseQueue("default");
            JobId first = sluice.submit(JobRequest.builder("work").payload("first").build());
            JobId second = sluice.submit(JobRequest.builder("work").payload("second").build());
            JobId urgent = sluice.submit(JobRequest.builder("work").payload("urgent").priority(Priority.LOW).build());

            assertThat(sluice.reprioritize(urgent, Priority.CRITICAL)).isTrue();
            assertThat(sluice.find(urgent)).get().extracting(JobInfo::priority).isEqualTo(Priority.CRITICAL);
            sluice.resumeQueue("default");
            for (JobId id : List.of(first, second, urgent)) {
                assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            }

            assertThat(started).containsExactly("urgent", "first", "second");
            assertThat(sluice.reprioritize(urgent, Priority.LOW)).as("reprioritizing a finished job").isFalse();
        }
    }

    /**
     * Priority's rule: a job never waits behind a job of higher priority that became ready more than
     * (weight difference) x agingStep after it. With agingStep 100 ms a LOW job (weight 0) goes after the
     * CRITICAL jobs (weight 3) ready before its readyAt + 300 ms and before those ready after it; at exactly
     * +300 ms the sort keys tie and the older id (the LOW job) goes first. The store's clock is moved by hand,
     * so the order is exact.
     */
    @Test
    void lowJobWaitsOnlyForCriticalJobsReadyWithinThreeAgingStepsOfIt() throws Exception {
        Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
        MutableClock storeClock = new MutableClock(t0);
        InMemoryJobStore store = InMemoryJobStore.builder().clock(storeClock).agingStep(Duration.ofMillis(100)).build();
        List<String> started = new CopyOnWriteArrayList<>();
        try (Sluice sluice = engine()
                .store(store)
                .concurrency(1)
                .handler("work", String.class, (payload, ctx) -> started.add(payload))
                .build().start()) {
            sluice.pauseQueue("default");
            List<JobId> ids = new ArrayList<>();
            ids.add(sluice.submit(JobRequest.builder("work").payload("LOW").priority(Priority.LOW).build()));
            List<String> criticalBeforeLow = new ArrayList<>();
            List<String> criticalAfterLow = new ArrayList<>();
            for (int offset = 10; offset <= 1000; offset += 10) {
                storeClock.advanceMillis(10);
                String name = "CRITICAL@+" + offset;
                (offset < 300 ? criticalBeforeLow : criticalAfterLow).add(name);
                ids.add(sluice.submit(JobRequest.builder("work").payload(name).priority(Priority.CRITICAL).build()));
            }

            sluice.resumeQueue("default");
            for (JobId id : ids) {
                assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            }

            List<String> expected = new ArrayList<>(criticalBeforeLow);
            expected.add("LOW");
            expected.addAll(criticalAfterLow);
            assertThat(criticalBeforeLow).hasSize(29);
            assertThat(started).containsExactlyElementsOf(expected);
        }
    }
}
