package dev.sluice.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.ops.OperationsConfig;
import dev.sluice.ops.RecurringJob;
import dev.sluice.store.InMemoryJobStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/**
 * A real engine on the in-memory store with a dashboard in front of it, for the API and browser tests. Job
 * types: {@code echo} succeeds with its payload; {@code flaky} fails while {@link #failing} is set;
 * {@code progress} reports 25% and then waits for {@link #release}. Queue {@code parked} is paused, so its
 * jobs stay READY. The audit trail is on (written every 50 ms), and two recurring jobs are registered: {@code
 * nightly-report} (cron at 02:00 Europe/Paris) and {@code hourly-sync} (every hour on the hour, UTC), each an echo.
 */
final class TestConsole implements AutoCloseable {

    static final String PARKED = "parked";
    private static final ObjectMapper JSON = new ObjectMapper();

    final AtomicBoolean failing = new AtomicBoolean(true);
    final CountDownLatch release = new CountDownLatch(1);
    final InMemoryJobStore store = InMemoryJobStore.builder().build();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final Sluice sluice;
    final Dashboard dashboard;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TestConsole() {
        this(UnaryOperator.identity());
    }

    TestConsole(UnaryOperator<DashboardConfig.Builder> config) {
        this(config, UnaryOperator.identity());
    }

    TestConsole(UnaryOperator<DashboardConfig.Builder> config, UnaryOperator<OperationsConfig.Builder> operations) {
        sluice = Sluice.builder()
                .store(store)
                .meterRegistry(meters)
                .concurrency(4)
                .pollInterval(Duration.ofMillis(50))
                // Progress reaches the store with lease renewals (a third of the lease): keep them frequent.
                .leaseDuration(Duration.ofSeconds(3))
                .handler("echo", String.class, (payload, ctx) -> payload)
                .handler("flaky", String.class, (payload, ctx) -> {
                    if (failing.get()) {
                        throw new IllegalStateException("flaky failure for " + payload);
                    }
                    return "recovered " + payload;
                })
                .handler("progress", String.class, (payload, ctx) -> {
                    ctx.reportProgress(1, 4);
                    release.await();
                    return payload;
                })
                .operations(operations.apply(OperationsConfig.builder()
                        .auditTrail(true)
                        .auditFlushInterval(Duration.ofMillis(50))
                        .heartbeatInterval(Duration.ofSeconds(1))).build())
                .recurring(RecurringJob.cron("nightly-report", "0 2 * * *", ZoneId.of("Europe/Paris"),
                        JobRequest.of("echo", "nightly")))
                .recurring(RecurringJob.every("hourly-sync", Duration.ofHours(1), JobRequest.of("echo", "sync")))
                .build()
                .start();
        sluice.pauseQueue(PARKED);
        dashboard = Dashboard.start(sluice, config.apply(DashboardConfig.builder()
                .port(0)
                .meterRegistry(meters)
                .sampleInterval(Duration.ofSeconds(1))).build());
    }

    URI uri(String path) {
        return dashboard.uri().resolve(path);
    }

    String origin() {
        String u = dashboard.uri().toString();
        return u.substring(0, u.length() - 1);
    }

    /** A READY job in the paused queue. */
    JobId parked(String type, String payload) {
        return sluice.submit(JobRequest.builder(type).queue(PARKED).payload(payload).build());
    }

    /** A job of type flaky with one attempt: it ends DEAD while {@link #failing} is set. */
    JobId dead(String payload) throws InterruptedException {
        JobId id = sluice.submit(JobRequest.builder("flaky").payload(payload).maxAttempts(1).build());
        JobInfo info = sluice.await(id, Duration.ofSeconds(10));
        if (info.state() != JobState.DEAD) {
            throw new IllegalStateException("expected DEAD but was " + info);
        }
        return id;
    }

    void awaitState(JobId id, JobState state) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sluice.find(id).map(JobInfo::state).orElse(null) == state);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A fresh browser session on this dashboard: its cookie and CSRF token. */
    ApiSession session() throws Exception {
        return ApiSession.open(http, dashboard.uri());
    }

    /** The body of an API answer. */
    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        release.countDown();
        dashboard.close();
        sluice.close();
    }
}
