package dev.sluice.engine;

import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.spi.MDCAdapter;

import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static dev.sluice.engine.EngineTesting.PATIENCE;
import static dev.sluice.engine.EngineTesting.engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a handler sees of its attempt and how it reports back. */
@Timeout(30)
class JobContextTest {

    private static MDCAdapter bindingsAdapter;

    /**
     * slf4j-simple, the tests' logging binding, keeps no MDC at all (its adapter drops every put), so these
     * tests install slf4j's thread-local adapter for their duration and put the binding's back afterwards.
     */
    @BeforeAll
    static void keepMdcValues() throws ReflectiveOperationException {
        bindingsAdapter = MDC.getMDCAdapter();
        mdcAdapterField().set(null, new BasicMDCAdapter());
    }

    @AfterAll
    static void restoreMdcAdapter() throws ReflectiveOperationException {
        mdcAdapterField().set(null, bindingsAdapter);
    }

    private static Field mdcAdapterField() throws NoSuchFieldException {
        Field field = MDC.class.getDeclaredField("mdcAdapter");
        field.setAccessible(true);
        return field;
    }

    @Test
    void reportedProgressIsWrittenWithTheLeaseRenewals() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> badProgress = new AtomicReference<>();
        try (Sluice sluice = engine()
                .leaseDuration(Duration.ofMillis(300)) // renewals, and progress writes, every 100 ms
                .handler("import", String.class, (payload, ctx) -> {
                    ctx.reportProgress(5, 10);
                    try {
                        ctx.reportProgress(11, 10);
                    } catch (IllegalArgumentException e) {
                        badProgress.set(e);
                    }
                    release.await();
                    return payload;
                })
                .build().start()) {
            JobId id = sluice.submit("import", "rows.csv");

            await().atMost(PATIENCE).until(() -> sluice.find(id).map(JobInfo::progress).orElse(0.0) == 0.5);
            assertThat(sluice.find(id)).get().extracting(JobInfo::state).isEqualTo(JobState.RUNNING);
            release.countDown();

            assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(badProgress.get())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("done=11")
                    .hasMessageContaining("total=10");
        }
    }

    @Test
    void handlerSeesItsJobInTheContextAndTheMdc() throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        try (Sluice sluice = engine()
                .handler("audit", String.class, (payload, ctx) -> {
                    seen.put("ctx.jobId", ctx.jobId().toString());
                    seen.put("ctx.type", ctx.jobType());
                    seen.put("ctx.queue", ctx.queue());
                    seen.put("ctx.tenant", ctx.tenant().orElse("none"));
                    seen.put("ctx.attempt", ctx.attempt() + "/" + ctx.maxAttempts());
                    seen.put("ctx.deadline", ctx.deadline().isPresent() ? "set" : "none");
                    seen.put("mdc.jobId", Optional.ofNullable(MDC.get("sluice.jobId")).orElse("missing"));
                    seen.put("mdc.jobType", Optional.ofNullable(MDC.get("sluice.jobType")).orElse("missing"));
                    seen.put("mdc.attempt", Optional.ofNullable(MDC.get("sluice.attempt")).orElse("missing"));
                    return payload;
                })
                .build().start()) {
            JobId id = sluice.submit(JobRequest.builder("audit").payload("x").tenant("acme").maxAttempts(4).build());
            assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);

            assertThat(seen).containsEntry("ctx.jobId", id.toString())
                    .containsEntry("ctx.type", "audit")
                    .containsEntry("ctx.queue", "default")
                    .containsEntry("ctx.tenant", "acme")
                    .containsEntry("ctx.attempt", "1/4")
                    .containsEntry("ctx.deadline", "none")
                    .containsEntry("mdc.jobId", id.toString())
                    .containsEntry("mdc.jobType", "audit")
                    .containsEntry("mdc.attempt", "1");
        }
    }

    @Test
    void attemptWithATimeoutKnowsItsDeadline() throws Exception {
        AtomicReference<Optional<Instant>> deadline = new AtomicReference<>();
        try (Sluice sluice = engine()
                .handler("timed", String.class, (payload, ctx) -> {
                    deadline.set(ctx.deadline());
                    return payload;
                }, null, Duration.ofMinutes(5))
                .build().start()) {
            Instant submitted = Instant.now().truncatedTo(ChronoUnit.MILLIS);

            assertThat(sluice.await(sluice.submit("timed", "x"), PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);

            // the attempt started after the submit, so its deadline is at least five minutes after it
            assertThat(deadline.get()).get().matches(d -> !d.isBefore(submitted.plus(Duration.ofMinutes(5))),
                    "not before " + submitted.plus(Duration.ofMinutes(5)));
        }
    }
}
