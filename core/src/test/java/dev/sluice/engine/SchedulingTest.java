package dev.sluice.engine;

import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.QueueConfig;
import dev.sluice.Sluice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.sluice.engine.EngineTesting.PATIENCE;
import static dev.sluice.engine.EngineTesting.engine;
import static org.assertj.core.api.Assertions.assertThat;

/** When jobs may start: paused queues and delays. */
@Timeout(30)
class SchedulingTest {

    @Test
    void pausedQueueStartsNoJobsUntilResumed() throws Exception {
        Set<String> ran = ConcurrentHashMap.newKeySet();
        try (Sluice sluice = engine()
                .queue(QueueConfig.of("reports", 2))
                .handler("work", String.class, (payload, ctx) -> ran.add(payload))
                .build().start()) {
            sluice.pauseQueue("reports");
            List<JobId> paused = sluice.submitAll(List.of(
                    JobRequest.builder("work").payload("r1").queue("reports").build(),
                    JobRequest.builder("work").payload("r2").queue("reports").build()));

            // Submitted later to a running queue: once it is done, the dispatcher has claimed after the paused
            // jobs were ready, and would have taken them first (they are older) had the pause not held.
            JobId other = sluice.submit("work", "d1");
            assertThat(sluice.await(other, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);

            assertThat(ran).containsExactly("d1");
            for (JobId id : paused) {
                assertThat(sluice.find(id)).get().extracting(JobInfo::state).isEqualTo(JobState.READY);
            }
            assertThat(sluice.stats().queues().get("reports").paused()).isTrue();

            sluice.resumeQueue("reports");

            for (JobId id : paused) {
                assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            }
            assertThat(ran).containsExactlyInAnyOrder("d1", "r1", "r2");
        }
    }

    @Test
    void delayedJobDoesNotStartBeforeItsRunAt() throws Exception {
        Map<String, Instant> handlerStartedAt = new ConcurrentHashMap<>();
        try (Sluice sluice = engine()
                .handler("later", String.class, (payload, ctx) -> handlerStartedAt.put(payload, Instant.now()))
                .build().start()) {
            // The engine sets runAt = its clock's millisecond at submission + delay, so runAt is at least this.
            Instant earliestRunAt = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusMillis(300);
            JobId id = sluice.submit(JobRequest.builder("later").payload("x").delay(Duration.ofMillis(300)).build());

            JobInfo done = sluice.await(id, PATIENCE);

            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.startedAt()).get().matches(started -> !started.isBefore(earliestRunAt),
                    "started at or after " + earliestRunAt);
            assertThat(handlerStartedAt.get("x")).isAfterOrEqualTo(earliestRunAt);
        }
    }

    @Test
    void delayedJobWaitsScheduledWithItsRunAt() throws Exception {
        try (Sluice sluice = engine()
                .handler("later", String.class, (payload, ctx) -> payload)
                .build().start()) {
            JobId id = sluice.submit(JobRequest.builder("later").payload("x").delay(Duration.ofHours(1)).build());

            JobInfo waiting = sluice.find(id).orElseThrow();

            assertThat(waiting.state()).isEqualTo(JobState.SCHEDULED);
            assertThat(waiting.runAt()).contains(waiting.createdAt().plus(Duration.ofHours(1)));
            assertThat(waiting.startedAt()).isEmpty();
        }
    }

    @Test
    void jobWithRunAtInThePastStartsAtOnce() throws Exception {
        try (Sluice sluice = engine()
                .handler("now", String.class, (payload, ctx) -> payload)
                .build().start()) {
            JobId id = sluice.submit(JobRequest.builder("now").payload("x")
                    .runAt(Instant.now().minus(Duration.ofMinutes(5))).build());

            assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
        }
    }
}
