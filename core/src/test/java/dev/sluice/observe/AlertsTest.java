package dev.sluice.observe;

import dev.sluice.JobRequest;
import dev.sluice.QueueConfig;
import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.JobStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.sluice.observe.ObserveTesting.PATIENCE;
import static dev.sluice.observe.ObserveTesting.engine;
import static dev.sluice.observe.ObserveTesting.failingStats;
import static dev.sluice.observe.ObserveTesting.fastObserving;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Alerts from synthetic store states, through a real engine and in-memory store. */
class AlertsTest {

    private final List<Alert> heard = new CopyOnWriteArrayList<>();

    private List<Alert> heard(String rule) {
        return heard.stream().filter(a -> a.rule().equals(rule)).toList();
    }

    /** Alerts heard, and logged; heap use, which a test cannot set, is kept out of them. */
    private ObservabilityConfig.Builder observing() {
        return fastObserving().alertListener(heard::add).alertListener(LoggingAlertListener.instance())
                .health(HealthConfig.builder().maxHeapUsed(1.0).build());
    }

    @Test
    void waitingJobsAlertStartsOnceAndClearsOnce() throws Exception {
        InMemoryJobStore store = InMemoryJobStore.builder().build();
        try (Sluice producer = engine().store(store).producerOnly(true).build()) {
            for (int i = 0; i < 234; i++) {
                producer.submit(JobRequest.builder("report").payload("x").queue("reports").build());
            }
        }
        try (Sluice watcher = engine().store(store).observability(observing().build())
                .handler("ok", String.class, (p, ctx) -> null).build().start()) {
            await().atMost(PATIENCE).until(() -> heard("queue-depth").size() == 1);
            Alert started = heard("queue-depth").get(0);
            assertThat(started.active()).isTrue();
            assertThat(started.severity()).isEqualTo(AlertSeverity.MODERATE);
            assertThat(started.subject()).isEqualTo("reports");
            assertThat(started.message()).isEqualTo(
                    "High number of waiting jobs (234) in queue 'reports'. Consider increasing worker concurrency.");
            assertThat(started.values()).containsEntry("ready", 234.0);
            assertThat(watcher.activeAlerts()).extracting(Alert::rule).contains("queue-depth");

            // A worker for the queue drains it; meanwhile the watcher evaluates every 20 ms.
            try (Sluice worker = engine().store(store).queue(QueueConfig.of("reports", 4))
                    .handler("report", String.class, (p, ctx) -> null).build().start()) {
                await().atMost(PATIENCE).until(() -> heard("queue-depth").size() == 2);
            }
            Alert cleared = heard("queue-depth").get(1);
            assertThat(cleared.active()).isFalse();
            assertThat(cleared.clearedAt()).isAfterOrEqualTo(cleared.startedAt());
            assertThat(cleared.startedAt()).isEqualTo(started.startedAt());
            assertThat(watcher.activeAlerts()).extracting(Alert::rule).doesNotContain("queue-depth");
        }
        assertThat(heard("queue-depth")).hasSize(2);
    }

    @Test
    void pausedQueueWithReadyJobsIsALowAlert() {
        InMemoryJobStore store = InMemoryJobStore.builder().build();
        try (Sluice producer = engine().store(store).producerOnly(true).build()) {
            producer.submit(JobRequest.builder("report").payload("x").queue("reports").build());
            producer.pauseQueue("reports");
        }
        try (Sluice watcher = engine().store(store).observability(observing().build())
                .handler("ok", String.class, (p, ctx) -> null).build()) {
            assertThat(watcher.activeAlerts()).filteredOn(a -> a.subject().equals("reports")).singleElement()
                    .satisfies(a -> {
                assertThat(a.rule()).isEqualTo("queue-paused");
                assertThat(a.severity()).isEqualTo(AlertSeverity.LOW);
                assertThat(a.message()).contains("'reports' is paused with 1 ready jobs");
            });
        }
    }

    @Test
    void unreachableStoreIsCriticalUntilItAnswers() {
        AtomicBoolean down = new AtomicBoolean(true);
        JobStore store = failingStats(InMemoryJobStore.builder().build(), down);
        try (Sluice sluice = engine().store(store).observability(observing().build())
                .handler("ok", String.class, (p, ctx) -> null).build().start()) {
            await().atMost(PATIENCE).until(() -> heard("store-unreachable").size() == 1);
            Alert alert = heard("store-unreachable").get(0);
            assertThat(alert.severity()).isEqualTo(AlertSeverity.CRITICAL);
            assertThat(alert.message()).contains("connection refused");
            down.set(false);
            await().atMost(PATIENCE).until(() -> heard("store-unreachable").size() == 2);
            assertThat(heard("store-unreachable").get(1).active()).isFalse();
        }
    }

    @Test
    void scalingAdviceIsAnInfoAlertAndAGauge() {
        InMemoryJobStore store = InMemoryJobStore.builder().build();
        try (Sluice producer = engine().store(store).producerOnly(true).build()) {
            for (int i = 0; i < 234; i++) {
                producer.submit(JobRequest.builder("report").payload("x").build());
            }
        }
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        // Served queue 'default' holds the jobs; the worker has no handler for them and is never started.
        try (Sluice sluice = engine().store(store).concurrency(4).meterRegistry(registry)
                .observability(fastObserving().alertListener(heard::add).build())
                .handler("ok", String.class, (p, ctx) -> null).build()) {
            ScalingAdvice advice = sluice.scalingAdvice();
            assertThat(advice.direction()).isEqualTo(ScalingAdvice.Direction.UP);
            assertThat(advice.desiredWorkers()).isEqualTo(10);
            assertThat(registry.get("sluice.scaling.desired.workers").gauge().value()).isEqualTo(10);
            assertThat(heard("scaling")).singleElement().satisfies(a -> {
                assertThat(a.severity()).isEqualTo(AlertSeverity.INFO);
                assertThat(a.message()).startsWith("Scaling advice: run 10 workers instead of 4.");
            });
        }
    }
}
