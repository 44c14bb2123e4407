package dev.sluice.engine;

import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.engine.EngineTesting.PATIENCE;
import static dev.sluice.engine.EngineTesting.engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

@Timeout(30)
class TimeoutAndCancelTest {

    @Test
    void attemptPastItsTimeoutIsInterruptedAndFailsWithATimeoutError() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean sawTimedOut = new AtomicBoolean();
        try (Sluice sluice = engine()
                .handler("hang", String.class, (payload, ctx) -> {
                    try {
                        never.await();
                        return "opened";
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                        sawTimedOut.set(ctx.isTimedOut());
                        throw e;
                    }
                }, RetryPolicy.none(), null)
                .build().start()) {
            JobId id = sluice.submit(JobRequest.builder("hang").payload("x").timeout(Duration.ofMillis(200)).build());

            JobInfo done = sluice.await(id, PATIENCE);

            assertThat(done.state()).isEqualTo(JobState.DEAD);
            assertThat(interrupted).isTrue();
            assertThat(sawTimedOut).isTrue();
            assertThat(done.lastError()).get(STRING)
                    .contains("dev.sluice.JobTimeoutException")
                    .contains("200 ms");
        }
    }

    @Test
    void handlerTimeoutAppliesWhenTheRequestGivesNone() throws Exception {
        try (Sluice sluice = engine()
                .handler("hang", String.class, (payload, ctx) -> {
                    new CountDownLatch(1).await();
                    return "opened";
                }, RetryPolicy.none(), Duration.ofMillis(200))
                .build().start()) {
            JobInfo done = sluice.await(sluice.submit("hang", "x"), PATIENCE);

            assertThat(done.state()).isEqualTo(JobState.DEAD);
            assertThat(done.lastError()).get(STRING).contains("JobTimeoutException");
        }
    }

    @Test
    void cancellingADelayedJobEndsItCancelledAtOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Sluice sluice = engine()
                .handler("remind", String.class, (payload, ctx) -> calls.incrementAndGet())
                .build().start()) {
            JobId id = sluice.submit(JobRequest.builder("remind").payload("x").delay(Duration.ofHours(1)).build());
            assertThat(sluice.find(id)).get().extracting(JobInfo::state).isEqualTo(JobState.SCHEDULED);

            assertThat(sluice.cancel(id)).isTrue();

            assertThat(sluice.find(id)).get().extracting(JobInfo::state).isEqualTo(JobState.CANCELLED);
            assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.CANCELLED);
            assertThat(calls).hasValue(0);
            assertThat(sluice.cancel(id)).as("cancelling a finished job").isFalse();
        }
    }

    @Test
    void cancellingARunningJobInterruptsItsHandlerAndEndsItCancelled() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean sawCancelled = new AtomicBoolean();
        try (Sluice sluice = engine()
                .handler("export", String.class, (payload, ctx) -> {
                    running.countDown();
                    try {
                        never.await();
                        return "opened";
                    } catch (InterruptedException e) {
                        sawCancelled.set(ctx.isCancelled());
                        throw e;
                    }
                })
                .build().start()) {
            JobId id = sluice.submit("export", "x");
            assertThat(running.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            assertThat(sluice.cancel(id)).isTrue();
            JobInfo done = sluice.await(id, PATIENCE);

            assertThat(done.state()).isEqualTo(JobState.CANCELLED);
            assertThat(done.attempts()).isEqualTo(1);
            assertThat(sawCancelled).isTrue();
        }
    }
}
