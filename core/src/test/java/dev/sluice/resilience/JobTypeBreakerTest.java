package dev.sluice.resilience;

import dev.sluice.JobEvent;
import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobListener;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.NonRetryableException;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.StateTransition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class JobTypeBreakerTest {

    static final Duration PATIENCE = Duration.ofSeconds(20);

    static RetryPolicy fastRetries(int maxAttempts) {
        return RetryPolicy.builder().maxAttempts(maxAttempts).initialInterval(Duration.ofMillis(10)).jitter(0).build();
    }

    @Test
    void openBreakerDefersItsTypeKeepingAttemptsWhileOtherTypesRunThenProbesCloseIt() throws Exception {
        AtomicBoolean pricingUp = new AtomicBoolean(false);
        AtomicInteger pricingCalls = new AtomicInteger();
        Set<JobId> deferred = ConcurrentHashMap.newKeySet();
        List<StateTransition> transitions = new CopyOnWriteArrayList<>();
        // Long enough that 50 trivial jobs and the checks below fit in it on a loaded two-core machine.
        Duration openWait = Duration.ofSeconds(5);
        try (Sluice sluice = Sluice.builder()
                .drainTimeout(Duration.ofSeconds(1))
                .concurrency(4)
                .handler("pricing", String.class, (sku, ctx) -> {
                    pricingCalls.incrementAndGet();
                    if (!pricingUp.get()) {
                        throw new IOException("pricing api refused the connection");
                    }
                    return "priced " + sku;
                }, fastRetries(5), null)
                .handler("email", String.class, (to, ctx) -> "sent to " + to)
                .jobTypeBreaker("pricing", BreakerConfig.custom()
                        .countWindow(4).minimumCalls(4).failureRateThreshold(50)
                        .waitInOpenState(openWait).halfOpenCalls(2).deferralDelay(Duration.ofMillis(50))
                        .build())
                .listener(JobListener.of(EnumSet.of(JobEvent.Kind.DEFERRED), e -> deferred.add(e.jobId())))
                .build()) {
            sluice.jobTypeBreaker("pricing").orElseThrow().getEventPublisher()
                    .onStateTransition(e -> transitions.add(e.getStateTransition()));
            assertThat(sluice.breakerState("pricing")).contains(CircuitBreaker.State.CLOSED);
            assertThat(sluice.breakerState("email")).isEmpty();
            sluice.start();

            List<JobId> pricing = sluice.submitAll(List.of(JobRequest.of("pricing", "a"),
                    JobRequest.of("pricing", "b"), JobRequest.of("pricing", "c"), JobRequest.of("pricing", "d")));
            // Four failures open the breaker; the retries then reach workers and are handed back.
            await().atMost(PATIENCE).until(() -> deferred.containsAll(pricing));
            assertThat(sluice.breakerState("pricing")).contains(CircuitBreaker.State.OPEN);

            List<JobRequest> emails = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                emails.add(JobRequest.of("email", "user" + i + "@example.com"));
            }
            for (JobId id : sluice.submitAll(emails)) {
                assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            }
            for (JobId id : pricing) {
                JobInfo waiting = sluice.find(id).orElseThrow();
                assertThat(waiting.state()).isIn(JobState.SCHEDULED, JobState.READY);
                assertThat(waiting.attempts()).as("attempts of a deferred job").isEqualTo(1);
            }
            assertThat(pricingCalls).hasValue(4);
            assertThat(transitions).as("still within the open wait").containsExactly(StateTransition.CLOSED_TO_OPEN);

            pricingUp.set(true);
            for (JobId id : pricing) {
                JobInfo done = sluice.await(id, PATIENCE);
                assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
                assertThat(done.attempts()).isEqualTo(2);
            }
            assertThat(pricingCalls).hasValue(8);
            assertThat(sluice.breakerState("pricing")).contains(CircuitBreaker.State.CLOSED);
            assertThat(transitions).containsExactly(StateTransition.CLOSED_TO_OPEN,
                    StateTransition.OPEN_TO_HALF_OPEN, StateTransition.HALF_OPEN_TO_CLOSED);
        }
    }

    @Test
    void nonRetryableErrorsDoNotOpenTheBreaker() throws Exception {
        try (Sluice sluice = Sluice.builder()
                .drainTimeout(Duration.ofSeconds(1))
                .handler("parse", String.class, (text, ctx) -> {
                    throw new NonRetryableException("malformed input " + text);
                }, fastRetries(3), null)
                .jobTypeBreaker("parse", BreakerConfig.custom().consecutiveFailures(2).build())
                .build().start()) {
            for (int i = 0; i < 4; i++) {
                assertThat(sluice.await(sluice.submit("parse", "x" + i), PATIENCE).state()).isEqualTo(JobState.DEAD);
            }
            assertThat(sluice.breakerState("parse")).contains(CircuitBreaker.State.CLOSED);
            assertThat(sluice.jobTypeBreaker("parse").orElseThrow().getMetrics().getNumberOfFailedCalls()).isZero();
        }
    }

    @Test
    void forcedOpenBreakerPausesTheTypeUntilReset() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Set<JobId> deferred = ConcurrentHashMap.newKeySet();
        try (Sluice sluice = Sluice.builder()
                .drainTimeout(Duration.ofSeconds(1))
                .handler("sync", String.class, (p, ctx) -> calls.incrementAndGet())
                .jobTypeBreaker("sync", BreakerConfig.custom().deferralDelay(Duration.ofMillis(20)).build())
                .listener(JobListener.of(EnumSet.of(JobEvent.Kind.DEFERRED), e -> deferred.add(e.jobId())))
                .build().start()) {
            sluice.jobTypeBreaker("sync").orElseThrow().transitionToForcedOpenState();
            JobId id = sluice.submit("sync", "x");
            await().atMost(PATIENCE).until(() -> deferred.contains(id));
            assertThat(calls).hasValue(0);

            sluice.jobTypeBreaker("sync").orElseThrow().reset();
            JobInfo done = sluice.await(id, PATIENCE);
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.attempts()).isEqualTo(1);
        }
    }
}
