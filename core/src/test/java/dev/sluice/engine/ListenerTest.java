package dev.sluice.engine;

import dev.sluice.JobEvent;
import dev.sluice.JobEvent.Kind;
import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static dev.sluice.engine.EngineTesting.PATIENCE;
import static dev.sluice.engine.EngineTesting.engine;
import static dev.sluice.engine.EngineTesting.fastRetries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class ListenerTest {

    @Test
    void goodJobIsSubmittedStartedAndSucceeded() throws Exception {
        RecordingListener events = new RecordingListener();
        try (Sluice sluice = engine()
                .listener(events)
                .handler("echo", String.class, (payload, ctx) -> payload)
                .build().start()) {
            JobId id = sluice.submit("echo", "x");
            assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);

            await().atMost(PATIENCE).until(() -> events.kindsOf(id).contains(Kind.SUCCEEDED));
            // SUBMITTED comes from the submitting thread and STARTED from a worker, so those two may arrive in
            // either order; SUCCEEDED is written after the handler returned, so it always follows STARTED.
            List<Kind> kinds = events.kindsOf(id);
            assertThat(kinds).containsExactlyInAnyOrder(Kind.SUBMITTED, Kind.STARTED, Kind.SUCCEEDED);
            assertThat(kinds.indexOf(Kind.STARTED)).isLessThan(kinds.indexOf(Kind.SUCCEEDED));
            JobEvent started = events.eventsOf(id, Kind.STARTED).get(0);
            assertThat(started.type()).isEqualTo("echo");
            assertThat(started.queue()).isEqualTo("default");
            assertThat(started.attempt()).isEqualTo(1);
            assertThat(started.error()).isNull();
            assertThat(events.eventsOf(id, Kind.SUBMITTED).get(0).attempt()).isZero();
        }
    }

    @Test
    void failingJobFailsThenDies() throws Exception {
        RecordingListener events = new RecordingListener();
        try (Sluice sluice = engine()
                .listener(events)
                .handler("broken", String.class, (payload, ctx) -> {
                    throw new IOException("attempt " + ctx.attempt() + " failed");
                }, fastRetries(2), null)
                .build().start()) {
            JobId id = sluice.submit("broken", "x");
            assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.DEAD);

            await().atMost(PATIENCE).until(() -> events.kindsOf(id).contains(Kind.DEAD));
            List<Kind> outcomes = new ArrayList<>(events.kindsOf(id));
            outcomes.retainAll(List.of(Kind.FAILED, Kind.DEAD));
            assertThat(outcomes).containsExactly(Kind.FAILED, Kind.DEAD);
            assertThat(events.eventsOf(id, Kind.STARTED)).extracting(JobEvent::attempt).containsExactly(1, 2);
            assertThat(events.eventsOf(id, Kind.FAILED).get(0).error()).contains("attempt 1 failed");
            assertThat(events.eventsOf(id, Kind.DEAD).get(0).error()).contains("attempt 2 failed");
        }
    }

    @Test
    void listenerThatThrowsDoesNotBreakTheEngineOrOtherListeners() throws Exception {
        RecordingListener events = new RecordingListener();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Sluice sluice = engine()
                .meterRegistry(meters)
                .listener(event -> {
                    throw new IllegalStateException("listener bug on " + event.kind());
                })
                .listener(events)
                .handler("echo", String.class, (payload, ctx) -> payload)
                .build().start()) {
            List<JobId> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(sluice.submit("echo", "x" + i));
            }

            for (JobId id : ids) {
                assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
                await().atMost(PATIENCE).until(() -> events.kindsOf(id).contains(Kind.SUCCEEDED));
                assertThat(events.kindsOf(id)).contains(Kind.SUBMITTED, Kind.STARTED, Kind.SUCCEEDED);
            }
            assertThat(meters.get("sluice.listener.errors").counter().count()).isGreaterThanOrEqualTo(9.0);
        }
    }

    @Test
    void listenerThatThrowsAnErrorDoesNotBreakTheEngine() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Sluice sluice = engine()
                .meterRegistry(meters)
                .listener(event -> {
                    throw new AssertionError("listener assertion failed on " + event.kind());
                })
                .handler("echo", String.class, (payload, ctx) -> payload)
                .build().start()) {
            List<JobId> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(sluice.submit("echo", "x" + i));
            }

            for (JobId id : ids) {
                assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            }
            // SUBMITTED, STARTED and SUCCEEDED of each job reached the listener and were counted
            await().atMost(PATIENCE)
                    .until(() -> meters.get("sluice.listener.errors").counter().count() >= 9.0);
            assertThat(sluice.await(sluice.submit("echo", "after"), PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
        }
    }
}
