package dev.sluice.resilience;

import dev.sluice.JobEvent;
import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobListener;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.QueueConfig;
import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.contract.MutableClock;
import dev.sluice.store.contract.SharedRateLimitScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class RateLimitTest {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void queueRateLimitHoldsWithinTenPercentOverFiveSeconds() throws Exception {
        ConcurrentLinkedQueue<Long> starts = new ConcurrentLinkedQueue<>();
        int perWindow = 20;
        Duration window = Duration.ofMillis(200); // 100 starts per second
        int jobs = 520;                           // 26 windows: about 5 s
        try (Sluice sluice = Sluice.builder()
                .drainTimeout(Duration.ofSeconds(1))
                .queue(QueueConfig.of("feeds", 8))
                .handler("fetch", String.class, (url, ctx) -> {
                    starts.add(System.nanoTime());
                    return null;
                })
                .queueRateLimit("feeds", RateLimit.of(perWindow, window))
                .build().start()) {
            List<JobRequest> requests = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                requests.add(JobRequest.builder("fetch").queue("feeds").payload("https://example.com/" + i).build());
            }
            List<JobId> ids = sluice.submitAll(requests);
            for (JobId id : ids) {
                JobInfo done = sluice.await(id, PATIENCE);
                assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
                assertThat(done.attempts()).isEqualTo(1);
            }
        }
        List<Long> sorted = new ArrayList<>(starts);
        Collections.sort(sorted);
        assertThat(sorted).hasSize(jobs);
        // The first window's burst is free; the rest arrive at the limit's pace.
        double seconds = (sorted.get(jobs - 1) - sorted.get(0)) / 1e9;
        double rate = (jobs - perWindow) / seconds;
        assertThat(seconds).isGreaterThan(4.5);
        assertThat(rate).as("starts per second").isBetween(90.0, 110.0);
        assertNoWindowOverLimit(sorted, perWindow, window);
    }

    @Test
    void jobsOverATypeLimitAreDeferredWithoutUsingAttempts() throws Exception {
        AtomicInteger deferrals = new AtomicInteger();
        ConcurrentLinkedQueue<Long> starts = new ConcurrentLinkedQueue<>();
        int perWindow = 5;
        Duration window = Duration.ofMillis(300);
        try (Sluice sluice = Sluice.builder()
                .drainTimeout(Duration.ofSeconds(1))
                .concurrency(4)
                .handler("sms", String.class, (to, ctx) -> {
                    starts.add(System.nanoTime());
                    return "sent";
                })
                .handler("log", String.class, (line, ctx) -> "logged")
                .jobTypeRateLimit("sms", RateLimit.of(perWindow, window))
                .listener(JobListener.of(EnumSet.of(JobEvent.Kind.DEFERRED), e -> {
                    assertThat(e.type()).isEqualTo("sms");
                    assertThat(e.error()).contains("rate limit of job type 'sms'");
                    deferrals.incrementAndGet();
                }))
                .build().start()) {
            List<JobRequest> requests = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                requests.add(JobRequest.of("sms", "+4400000" + i));
                requests.add(JobRequest.of("log", "line " + i));
            }
            for (JobId id : sluice.submitAll(requests)) {
                JobInfo done = sluice.await(id, PATIENCE);
                assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
                assertThat(done.attempts()).isEqualTo(1);
            }
        }
        assertThat(deferrals.get()).isPositive();
        List<Long> sorted = new ArrayList<>(starts);
        Collections.sort(sorted);
        assertThat(sorted).hasSize(20);
        assertNoWindowOverLimit(sorted, perWindow, window);
    }

    /** No span of one window holds more than twice the limit (fixed windows allow a burst across a boundary). */
    /**
     * Two nodes share one limit through the store: the store's clock does not move, so the window never ends and
     * exactly the limit's starts happen across both nodes until the test moves the clock to the next window.
     */
    @Test
    void aLimitAcrossTheClusterIsSharedByEveryNode() {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        InMemoryJobStore store = InMemoryJobStore.builder().clock(clock).build();
        SharedRateLimitScenario.assertNodesShareOneLimit(List.of(store, store), clock, 2);
    }

    @Test
    void aLimitAcrossTheClusterNeedsAStoreThatCanShareIt() {
        dev.sluice.store.JobStore plain = new dev.sluice.store.ForwardingJobStore(
                InMemoryJobStore.builder().build()) {
        };
        assertThatThrownBy(() -> Sluice.builder().store(plain).handler("call", String.class, (p, ctx) -> null)
                .jobTypeRateLimit("call", RateLimit.perSecond(5).acrossCluster()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("job type 'call'").hasMessageContaining("SharedRateLimits");
    }

    private static void assertNoWindowOverLimit(List<Long> sorted, int perWindow, Duration window) {
        long span = window.toNanos();
        int j = 0;
        for (int i = 0; i < sorted.size(); i++) {
            while (sorted.get(i) - sorted.get(j) >= span) {
                j++;
            }
            assertThat(i - j + 1).as("starts within one window ending at start " + i).isLessThanOrEqualTo(2 * perWindow);
        }
    }
}
