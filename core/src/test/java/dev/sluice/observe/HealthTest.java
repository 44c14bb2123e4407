package dev.sluice.observe;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.NonRetryableException;
import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.JobStore;
import dev.sluice.store.contract.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.sluice.observe.ObserveTesting.PATIENCE;
import static dev.sluice.observe.ObserveTesting.engine;
import static dev.sluice.observe.ObserveTesting.failingStats;
import static dev.sluice.observe.ObserveTesting.fastObserving;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Health from synthetic store states: a real in-memory store filled with jobs by a producer node. */
class HealthTest {

    private static void fill(JobStore store, String queue, int jobs) {
        try (Sluice producer = engine().store(store).producerOnly(true).build()) {
            for (int i = 0; i < jobs; i++) {
                producer.submit(JobRequest.builder("report").payload("x").queue(queue).build());
            }
        }
    }

    /** Heap use is the one number a test cannot set: a limit of 100% keeps that check out of exact scores. */
    private static final HealthConfig DEFAULTS = HealthConfig.builder().maxHeapUsed(1.0).build();

    private static Sluice.Builder worker(JobStore store, HealthConfig health) {
        return engine().store(store).observability(fastObserving().health(health).build())
                .handler("ok", String.class, (p, ctx) -> null);
    }

    @Test
    void quietNodeIsUpWithFullScore() {
        try (Sluice sluice = worker(InMemoryJobStore.builder().build(), DEFAULTS).build()) {
            HealthReport report = sluice.health();
            assertThat(report.status()).isEqualTo(HealthStatus.UP);
            assertThat(report.score()).isEqualTo(100);
            assertThat(report.checks()).extracting(HealthCheck::name).containsExactly("store", "queue-depth",
                    "oldest-ready-age", "error-rate", "average-processing", "heap", "stuck-jobs", "unrunnable-types",
                    "open-breakers");
        }
    }

    @Test
    void anOpenBreakerDegradesHealthAndRaisesAnAlertThatClearsWhenItCloses() {
        try (Sluice sluice = worker(InMemoryJobStore.builder().build(), DEFAULTS)
                .handler("pricing", String.class, (p, ctx) -> null)
                .jobTypeBreaker("pricing", dev.sluice.resilience.BreakerConfig.custom().build())
                .build().start()) {
            io.github.resilience4j.circuitbreaker.CircuitBreaker breaker =
                    sluice.jobTypeBreaker("pricing").orElseThrow();
            breaker.transitionToForcedOpenState();

            await().atMost(PATIENCE).untilAsserted(() -> {
                HealthReport report = sluice.health();
                assertThat(report.score()).isEqualTo(90);
                HealthCheck check = report.check("open-breakers").orElseThrow();
                assertThat(check.healthy()).isFalse();
                assertThat(check.detail()).contains("[pricing]");
            });
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(sluice.activeAlerts())
                    .filteredOn(a -> a.rule().equals("breaker-open")).singleElement()
                    .satisfies(a -> assertThat(a.message()).contains("'pricing'", "probe")));

            breaker.transitionToClosedState();
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(sluice.activeAlerts())
                    .noneMatch(a -> a.rule().equals("breaker-open")));
            await().atMost(PATIENCE).until(() -> sluice.health().check("open-breakers").orElseThrow().healthy());
        }
    }

    @Test
    void deepQueueDegradesHealthByItsWeight() {
        InMemoryJobStore store = InMemoryJobStore.builder().build();
        fill(store, "backlog", 12);
        try (Sluice sluice = worker(store, HealthConfig.builder().maxHeapUsed(1.0).maxQueueDepth(10).build()).build()) {
            HealthReport report = sluice.health();
            assertThat(report.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(report.score()).isEqualTo(85);
            HealthCheck depth = report.check("queue-depth").orElseThrow();
            assertThat(depth.healthy()).isFalse();
            assertThat(depth.value()).isEqualTo(12);
            assertThat(depth.detail()).contains("12 ready jobs in queue 'backlog'");
        }
    }

    @Test
    void longWaitingReadyJobsFailTheAgeCheck() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        InMemoryJobStore store = InMemoryJobStore.builder().clock(clock).build();
        fill(store, "backlog", 3);
        clock.advance(Duration.ofMinutes(6));
        try (Sluice sluice = worker(store, DEFAULTS).clock(clock).build()) {
            HealthCheck age = sluice.health().check("oldest-ready-age").orElseThrow();
            assertThat(age.healthy()).isFalse();
            assertThat(age.value()).isEqualTo(360);
            assertThat(age.threshold()).isEqualTo(300);
        }
    }

    @Test
    void unreachableStoreIsDown() {
        AtomicBoolean down = new AtomicBoolean(true);
        JobStore store = failingStats(InMemoryJobStore.builder().build(), down);
        try (Sluice sluice = worker(store, DEFAULTS).build()) {
            HealthReport report = sluice.health();
            assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(report.score()).isZero();
            assertThat(report.check("store").orElseThrow().detail()).contains("connection refused");
            down.set(false);
            await().atMost(PATIENCE).until(() -> sluice.health().status() == HealthStatus.UP);
        }
    }

    @Test
    void highErrorRateDegradesHealth() throws Exception {
        try (Sluice sluice = engine().observability(fastObserving().health(DEFAULTS).build())
                .handler("broken", String.class, (p, ctx) -> {
                    throw new NonRetryableException("always broken");
                }).build().start()) {
            JobId last = null;
            for (int i = 0; i < 25; i++) {
                last = sluice.submit("broken", "x");
            }
            sluice.await(last, PATIENCE);
            await().atMost(PATIENCE).untilAsserted(() -> {
                HealthCheck errors = sluice.health().check("error-rate").orElseThrow();
                assertThat(errors.healthy()).isFalse();
                assertThat(errors.value()).isEqualTo(1.0);
                assertThat(errors.detail()).contains("25 of 25 attempts failed");
            });
            assertThat(sluice.health().score()).isEqualTo(75);
        }
    }

    @Test
    void jobsRunningPastTheLimitAreStuck() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Sluice sluice = engine()
                .observability(fastObserving().health(HealthConfig.builder().stuckAfter(Duration.ofMillis(50))
                        .build()).build())
                .handler("hang", String.class, (p, ctx) -> {
                    release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    return null;
                }).build().start()) {
            JobId id = sluice.submit("hang", "x");
            await().atMost(PATIENCE).untilAsserted(() -> {
                HealthCheck stuck = sluice.health().check("stuck-jobs").orElseThrow();
                assertThat(stuck.healthy()).isFalse();
                assertThat(stuck.detail()).contains(id.toString(), "'hang'");
            });
            release.countDown();
            sluice.await(id, PATIENCE);
            await().atMost(PATIENCE).until(() -> sluice.health().check("stuck-jobs").orElseThrow().healthy());
        }
    }

    @Test
    void typesWithoutHandlerOnThisNodeAreReported() throws Exception {
        InMemoryJobStore store = InMemoryJobStore.builder().build();
        fill(store, "default", 1); // type 'report', which the worker has no handler for
        try (Sluice sluice = worker(store, DEFAULTS).build().start()) {
            await().atMost(PATIENCE).untilAsserted(() -> {
                HealthCheck types = sluice.health().check("unrunnable-types").orElseThrow();
                assertThat(types.healthy()).isFalse();
                assertThat(types.detail()).contains("report");
            });
        }
    }

    @Test
    void configRejectsBadValuesNamingTheField() {
        assertThatThrownBy(() -> HealthConfig.builder().maxErrorRate(1.5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxErrorRate");
        assertThatThrownBy(() -> HealthConfig.builder().maxHeapUsed(0).build()).hasMessageContaining("maxHeapUsed");
        assertThatThrownBy(() -> HealthConfig.builder().stuckAfter(Duration.ZERO).build())
                .hasMessageContaining("stuckAfter");
        assertThatThrownBy(() -> HealthConfig.builder().maxQueueDepth(-1).build())
                .hasMessageContaining("maxQueueDepth");
        assertThatThrownBy(() -> ObservabilityConfig.builder().refreshInterval(Duration.ofMinutes(5)).build())
                .hasMessageContaining("rateWindow");
    }
}
