package dev.sluice.observe;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.QueueConfig;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.contract.MutableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.observe.ObserveTesting.PATIENCE;
import static dev.sluice.observe.ObserveTesting.engine;
import static dev.sluice.observe.ObserveTesting.fastObserving;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MetricsTest {

    private static final RetryPolicy FAST_RETRY = RetryPolicy.builder().maxAttempts(3)
            .initialInterval(Duration.ofMillis(10)).jitter(0).build();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? -1 : c.count();
    }

    @Test
    void jobsAreCountedByTypeQueueAndOutcome() throws Exception {
        AtomicInteger flakyCalls = new AtomicInteger();
        List<JobId> ids = new ArrayList<>();
        try (Sluice sluice = engine().meterRegistry(registry)
                .queue(QueueConfig.of("mail", 2))
                .handler("ok", String.class, (p, ctx) -> null)
                .handler("flaky", String.class, (p, ctx) -> {
                    if (flakyCalls.incrementAndGet() == 1) {
                        throw new IllegalStateException("first call fails");
                    }
                    return null;
                }, FAST_RETRY, null)
                .build().start()) {
            for (int i = 0; i < 3; i++) {
                ids.add(sluice.submit("ok", "x"));
            }
            for (int i = 0; i < 2; i++) {
                ids.add(sluice.submit(JobRequest.builder("ok").payload("x").queue("mail").build()));
            }
            ids.add(sluice.submit("flaky", "x"));
            for (JobId id : ids) {
                sluice.await(id, PATIENCE);
            }

            assertThat(count("sluice.jobs.submitted", "type", "ok", "queue", "default")).isEqualTo(3);
            assertThat(count("sluice.jobs.submitted", "type", "ok", "queue", "mail")).isEqualTo(2);
            assertThat(count("sluice.jobs.submitted", "type", "flaky", "queue", "default")).isEqualTo(1);
            // Completions are counted once written; await sees the store first.
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(count("sluice.jobs.completed", "type", "ok", "queue", "default", "outcome", "succeeded"))
                        .isEqualTo(3);
                assertThat(count("sluice.jobs.completed", "type", "ok", "queue", "mail", "outcome", "succeeded"))
                        .isEqualTo(2);
                assertThat(count("sluice.jobs.completed", "type", "flaky", "queue", "default", "outcome", "failed"))
                        .isEqualTo(1);
                assertThat(count("sluice.jobs.completed", "type", "flaky", "queue", "default",
                        "outcome", "succeeded")).isEqualTo(1);
            });
            assertThat(count("sluice.jobs.retries", "type", "flaky", "queue", "default")).isEqualTo(1);
            assertThat(count("sluice.jobs.retries", "type", "ok", "queue", "default")).isZero();
            assertThat(timerCount("sluice.jobs.duration", "type", "ok", "queue", "default")).isEqualTo(3);
            assertThat(timerCount("sluice.jobs.wait", "type", "flaky", "queue", "default")).isEqualTo(2);
            assertThat(registry.find("sluice.jobs.duration").tags("type", "ok", "queue", "default").functionTimer()
                    .totalTime(TimeUnit.NANOSECONDS)).isPositive();
            // Meters of every registered type on every served queue exist from the start.
            assertThat(count("sluice.jobs.submitted", "type", "flaky", "queue", "mail")).isZero();
        }
        assertNoJobIdTags(ids);
    }

    @Test
    void storeCallsAreTimedPerOperation() throws Exception {
        try (Sluice sluice = engine().meterRegistry(registry).handler("ok", String.class, (p, ctx) -> null)
                .build().start()) {
            sluice.await(sluice.submit("ok", "x"), PATIENCE);
            await().atMost(PATIENCE).untilAsserted(() -> {
                for (String operation : List.of("enqueue", "claim", "complete", "query")) {
                    assertThat(registry.find("sluice.store.calls").tag("operation", operation).timer().count())
                            .as(operation).isPositive();
                }
            });
            assertThat(sluice.store()).isInstanceOf(InMemoryJobStore.class);
        }
    }

    @Test
    void queueGaugesFollowTheStatsSnapshot() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        InMemoryJobStore store = InMemoryJobStore.builder().clock(clock).build();
        try (Sluice producer = engine().store(store).producerOnly(true).clock(clock).build()) {
            for (int i = 0; i < 7; i++) {
                producer.submit(JobRequest.builder("report").payload("x").queue("backlog").build());
            }
            producer.submit(JobRequest.builder("report").payload("x").queue("backlog")
                    .delay(Duration.ofHours(1)).build());
        }
        clock.advance(Duration.ofSeconds(90));
        try (Sluice sluice = engine().store(store).clock(clock).meterRegistry(registry)
                .observability(fastObserving().build())
                .handler("ok", String.class, (p, ctx) -> null).build().start()) {
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(gauge("sluice.queue.jobs", "queue", "backlog", "state", "ready")).isEqualTo(7);
                assertThat(gauge("sluice.queue.jobs", "queue", "backlog", "state", "scheduled")).isEqualTo(1);
                assertThat(gauge("sluice.queue.oldest.ready.age", "queue", "backlog")).isEqualTo(90);
                assertThat(gauge("sluice.queue.jobs", "queue", "default", "state", "ready")).isZero();
            });
            assertThat(registry.find("sluice.store.calls").tag("operation", "stats").timer().count()).isPositive();
        }
    }

    @Test
    void busyWorkersAndActiveJobsShowRunningHandlers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Sluice sluice = engine().meterRegistry(registry).concurrency(2)
                .handler("block", String.class, (p, ctx) -> {
                    release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    return null;
                }).build().start()) {
            JobId a = sluice.submit("block", "a");
            JobId b = sluice.submit("block", "b");
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(gauge("sluice.workers.busy", "queue", "default")).isEqualTo(2);
                assertThat(gauge("sluice.jobs.active")).isEqualTo(2);
            });
            assertThat(gauge("sluice.workers", "queue", "default")).isEqualTo(2);
            release.countDown();
            sluice.await(a, PATIENCE);
            sluice.await(b, PATIENCE);
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(gauge("sluice.jobs.active")).isZero());
        }
    }

    @Test
    void percentileHistogramsAreOptIn() {
        assertThat(histogramAskedFor(ObservabilityConfig.defaults())).isFalse();
        assertThat(histogramAskedFor(ObservabilityConfig.builder().percentileHistograms(true).build())).isTrue();
    }

    /** Whether the job timers ask the registry for a percentile histogram (SimpleMeterRegistry keeps none). */
    private static boolean histogramAskedFor(ObservabilityConfig config) {
        SimpleMeterRegistry target = new SimpleMeterRegistry();
        List<Boolean> asked = new ArrayList<>();
        target.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig stats) {
                if (id.getName().equals("sluice.jobs.duration") || id.getName().equals("sluice.jobs.wait")) {
                    asked.add(Boolean.TRUE.equals(stats.isPercentileHistogram()));
                }
                return stats;
            }
        });
        engine().meterRegistry(target).observability(config).handler("ok", String.class, (p, ctx) -> null)
                .build().close();
        // Without histograms the timers are FunctionTimers, which take no distribution config at all.
        return asked.size() == 2 && asked.stream().allMatch(b -> b);
    }

    @Test
    void jobTimersCanBeTurnedOff() throws Exception {
        try (Sluice sluice = engine().meterRegistry(registry)
                .observability(ObservabilityConfig.builder().jobTimers(false).build())
                .handler("ok", String.class, (p, ctx) -> null).build().start()) {
            sluice.await(sluice.submit("ok", "x"), PATIENCE);
            assertThat(registry.find("sluice.jobs.duration").meter()).isNull();
            assertThat(registry.find("sluice.jobs.wait").meter()).isNull();
            assertThat(count("sluice.jobs.submitted", "type", "ok", "queue", "default")).isEqualTo(1);
        }
    }

    /** Attempts a job timer counted: a FunctionTimer by default, a Timer with histograms on. */
    private double timerCount(String name, String... tags) {
        Timer timer = registry.find(name).tags(tags).timer();
        return timer != null ? timer.count() : registry.find(name).tags(tags).functionTimer().count();
    }

    private double gauge(String name, String... tags) {
        var g = registry.find(name).tags(tags).gauge();
        return g == null ? -1 : g.value();
    }

    private void assertNoJobIdTags(List<JobId> ids) {
        List<String> idTexts = ids.stream().map(JobId::toString).toList();
        registry.getMeters().forEach(m -> m.getId().getTags().forEach(t ->
                assertThat(t.getValue()).as(m.getId().toString()).isNotIn(idTexts)));
    }
}
