package dev.sluice.observe;

import dev.sluice.JobRequest;
import dev.sluice.QueueConfig;
import dev.sluice.Sluice;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

import static dev.sluice.observe.ObserveTesting.engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class AdaptiveConcurrencyTest {

    private static final int KNEE = 6;
    private static final int MAX = 24;
    private static final long BASE_NANOS = TimeUnit.MILLISECONDS.toNanos(4);
    private static final int JOBS = 5000;

    /**
     * A simulated I/O dependency: up to {@link #KNEE} calls at once each take 4 ms; past the knee it is saturated,
     * so each call takes proportionally longer and throughput stays flat.
     */
    private static final class SaturatingService {
        final AtomicInteger inUse = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicIntegerArray concurrencySeen = new AtomicIntegerArray(JOBS);

        Object call() {
            int c = inUse.incrementAndGet();
            try {
                LockSupport.parkNanos(BASE_NANOS * Math.max(KNEE, c) / KNEE); // the simulated I/O wait
                int i = done.getAndIncrement();
                if (i < JOBS) {
                    concurrencySeen.set(i, c);
                }
                return null;
            } finally {
                inUse.decrementAndGet();
            }
        }
    }

    @Test
    void limitSettlesNearTheKneeOfASaturatingDependency() {
        SaturatingService service = new SaturatingService();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AdaptiveConcurrency adaptive = AdaptiveConcurrency.builder().window(Duration.ofMillis(100)).minSamples(5)
                .maxHeapUsed(1.0).build();
        try (Sluice sluice = engine().concurrency(MAX).meterRegistry(registry)
                .observability(ObservabilityConfig.builder().adaptiveConcurrency(adaptive).build())
                .handler("call", String.class, (p, ctx) -> service.call()).build().start()) {
            sluice.submitAll(Collections.nCopies(JOBS, JobRequest.of("call", "x")));
            await().atMost(Duration.ofSeconds(60)).until(() -> service.done.get() >= JOBS);

            // The last 40% of the jobs ran after the limit had time to settle.
            List<Integer> settled = new ArrayList<>();
            for (int i = JOBS * 6 / 10; i < JOBS; i++) {
                settled.add(service.concurrencySeen.get(i));
            }
            double average = settled.stream().mapToInt(Integer::intValue).average().orElseThrow();
            assertThat(average).as("average concurrency once settled").isBetween(KNEE * 0.5, KNEE * 1.75);
            double limit = registry.get("sluice.workers.limit").tag("queue", "default").gauge().value();
            assertThat(limit).isBetween(KNEE * 0.5, KNEE * 1.75);
        }
    }

    /**
     * A dependency that sheds load: past the knee it answers in its usual time, but with an error (say HTTP 429),
     * so latency alone says nothing is wrong; the error rate must hold the limit down.
     */
    @Test
    void limitBacksOffWhenAnOverloadedDependencyAnswersWithErrors() {
        AtomicInteger inUse = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger maxLimitSeenLate = new AtomicInteger();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AdaptiveConcurrency adaptive = AdaptiveConcurrency.builder().window(Duration.ofMillis(100)).minSamples(5)
                .maxHeapUsed(1.0).maxErrorRate(0.2).build();
        try (Sluice sluice = engine().concurrency(MAX).meterRegistry(registry)
                .observability(ObservabilityConfig.builder().adaptiveConcurrency(adaptive).build())
                .handler("call", String.class, (p, ctx) -> {
                    int c = inUse.incrementAndGet();
                    try {
                        LockSupport.parkNanos(BASE_NANOS);
                        if (c > KNEE) {
                            throw new IllegalStateException("429 too many requests at concurrency " + c);
                        }
                        return null;
                    } finally {
                        inUse.decrementAndGet();
                        if (finished.incrementAndGet() > JOBS / 2) {
                            double limit = registry.get("sluice.workers.limit").tag("queue", "default").gauge()
                                    .value();
                            maxLimitSeenLate.accumulateAndGet((int) limit, Math::max);
                        }
                    }
                }, dev.sluice.RetryPolicy.none(), null).build().start()) {
            sluice.submitAll(Collections.nCopies(JOBS, JobRequest.of("call", "x")));
            await().atMost(Duration.ofSeconds(60)).until(() -> finished.get() >= JOBS);

            assertThat(maxLimitSeenLate.get()).as("highest limit in the second half of the run")
                    .isLessThanOrEqualTo((int) (KNEE * 1.75));
        }
    }

    @Test
    void withoutAdaptiveConcurrencyTheLimitIsTheQueueConcurrency() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Sluice sluice = engine().meterRegistry(registry).queue(QueueConfig.of("mail", 3))
                .handler("ok", String.class, (p, ctx) -> null).build()) {
            assertThat(registry.get("sluice.workers.limit").tag("queue", "mail").gauge().value()).isEqualTo(3);
        }
    }

    @Test
    void configRejectsBadValuesNamingTheField() {
        assertThatThrownBy(() -> AdaptiveConcurrency.builder().latencyTolerance(1.0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latencyTolerance");
        assertThatThrownBy(() -> AdaptiveConcurrency.builder().backoffRatio(1.0).build())
                .hasMessageContaining("backoffRatio");
        assertThatThrownBy(() -> AdaptiveConcurrency.builder().minLimit(0).build()).hasMessageContaining("minLimit");
        assertThatThrownBy(() -> AdaptiveConcurrency.builder().maxErrorRate(1.5).build())
                .hasMessageContaining("maxErrorRate");
    }
}
