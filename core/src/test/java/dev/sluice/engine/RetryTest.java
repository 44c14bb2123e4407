package dev.sluice.engine;

import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobQuery;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.NonRetryableException;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.engine.EngineTesting.PATIENCE;
import static dev.sluice.engine.EngineTesting.engine;
import static dev.sluice.engine.EngineTesting.fastRetries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

@Timeout(30)
class RetryTest {

    @Test
    void handlerFailingTwiceThenSucceedingEndsSucceededAfterThreeAttempts() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Sluice sluice = engine()
                .handler("flaky", String.class, (payload, ctx) -> {
                    if (calls.incrementAndGet() <= 2) {
                        throw new IOException("connection reset on attempt " + ctx.attempt());
                    }
                    return "ok on attempt " + ctx.attempt();
                }, fastRetries(5), null)
                .build().start()) {
            JobInfo done = sluice.await(sluice.submit("flaky", "x"), PATIENCE);

            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.attempts()).isEqualTo(3);
            assertThat(done.result(String.class)).contains("ok on attempt 3");
            assertThat(calls).hasValue(3);
        }
    }

    @Test
    void exhaustedAttemptsEndDeadWithTheLastError() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Sluice sluice = engine()
                .handler("broken", String.class, (payload, ctx) -> {
                    calls.incrementAndGet();
                    throw new IOException("disk full on attempt " + ctx.attempt());
                }, fastRetries(3), null)
                .build().start()) {
            JobInfo done = sluice.await(sluice.submit("broken", "x"), PATIENCE);

            assertThat(done.state()).isEqualTo(JobState.DEAD);
            assertThat(done.attempts()).isEqualTo(3);
            assertThat(done.lastError()).get(STRING)
                    .contains("java.io.IOException")
                    .contains("disk full on attempt 3");
            assertThat(calls).hasValue(3);
        }
    }

    @Test
    void requestMaxAttemptsOverridesThePolicy() throws Exception {
        try (Sluice sluice = engine()
                .handler("broken", String.class, (payload, ctx) -> {
                    throw new IOException("no");
                }, fastRetries(5), null)
                .build().start()) {
            JobId id = sluice.submit(JobRequest.builder("broken").payload("x").maxAttempts(2).build());

            JobInfo done = sluice.await(id, PATIENCE);

            assertThat(done.state()).isEqualTo(JobState.DEAD);
            assertThat(done.attempts()).isEqualTo(2);
            assertThat(done.maxAttempts()).isEqualTo(2);
        }
    }

    @Test
    void nonRetryableExceptionEndsJobDeadAtOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Sluice sluice = engine()
                .handler("validate", String.class, (payload, ctx) -> {
                    calls.incrementAndGet();
                    throw new NonRetryableException("order " + payload + " has no lines");
                }, fastRetries(5), null)
                .build().start()) {
            JobInfo done = sluice.await(sluice.submit("validate", "o-17"), PATIENCE);

            assertThat(done.state()).isEqualTo(JobState.DEAD);
            assertThat(done.attempts()).isEqualTo(1);
            assertThat(done.lastError()).get(STRING)
                    .contains("order o-17 has no lines");
            assertThat(calls).hasValue(1);
        }
    }

    @Test
    void exceptionOfAClassMarkedNonRetryableEndsJobDeadAtOnce() throws Exception {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(5).initialInterval(Duration.ofMillis(10)).jitter(0)
                .nonRetryable(IllegalArgumentException.class).build();
        AtomicInteger calls = new AtomicInteger();
        try (Sluice sluice = engine()
                .handler("parse", String.class, (payload, ctx) -> {
                    calls.incrementAndGet();
                    // wrapped: the policy looks at causes too
                    throw new RuntimeException("parse failed",
                            new NumberFormatException("not a number: " + payload));
                }, policy, null)
                .build().start()) {
            JobInfo done = sluice.await(sluice.submit("parse", "12a"), PATIENCE);

            assertThat(done.state()).isEqualTo(JobState.DEAD);
            assertThat(done.attempts()).isEqualTo(1);
            assertThat(done.lastError()).get(STRING)
                    .contains("java.lang.NumberFormatException: not a number: 12a");
            assertThat(calls).hasValue(1);
        }
    }

    @Test
    void deadJobIsListedAndRunsAgainWhenRetriedByHand() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Sluice sluice = engine()
                .handler("import", String.class, (payload, ctx) -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new NonRetryableException("upstream file missing");
                    }
                    return "imported " + payload;
                }, fastRetries(3), null)
                .build().start()) {
            JobId id = sluice.submit("import", "feed.csv");
            assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.DEAD);

            assertThat(sluice.list(JobQuery.inState(JobState.DEAD, 10))).extracting(JobInfo::id).containsExactly(id);
            assertThat(sluice.retry(id)).isTrue();
            JobInfo done = sluice.await(id, PATIENCE);

            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.result(String.class)).contains("imported feed.csv");
            assertThat(done.attempts()).isEqualTo(1);
            assertThat(calls).hasValue(2);
            assertThat(sluice.list(JobQuery.inState(JobState.DEAD, 10))).isEmpty();
        }
    }

    @Test
    void retryOfAJobThatIsNotDeadOrCancelledIsRefused() throws Exception {
        try (Sluice sluice = engine()
                .handler("fine", String.class, (payload, ctx) -> payload)
                .build().start()) {
            JobId id = sluice.submit("fine", "x");
            assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);

            assertThat(sluice.retry(id)).isFalse();
            assertThat(sluice.retry(JobId.next())).isFalse();
        }
    }
}
