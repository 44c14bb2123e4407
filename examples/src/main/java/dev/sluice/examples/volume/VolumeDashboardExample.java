package dev.sluice.examples.volume;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.Priority;
import dev.sluice.QueueConfig;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import dev.sluice.dashboard.Dashboard;
import dev.sluice.dashboard.DashboardAuthenticator;
import dev.sluice.dashboard.DashboardConfig;
import dev.sluice.examples.support.ExampleOptions;
import dev.sluice.examples.support.Terminal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard beside the high-volume queue: the same day of jobs (by default 200,000 over a "day" of one
 * minute), with failing attempts, a few jobs that end DEAD, and an import job that reports progress, on the
 * in-memory store, with the web console at {@code http://127.0.0.1:8090/}. The program keeps the console open
 * for {@code --linger-seconds} (default 600) after the day ends, or until Ctrl-C.
 *
 * <pre>
 * ./mvnw -q -pl examples -am test-compile exec:java -Dexample=dev.sluice.examples.volume.VolumeDashboardExample
 * ./mvnw ... -Dexec.args="--dashboard-address=0.0.0.0 --dashboard-token=$(openssl rand -hex 16)"
 * </pre>
 *
 * Listening anywhere but loopback needs {@code --dashboard-token} (sent as {@code Authorization: Bearer ...},
 * for example by a reverse proxy); the dashboard refuses to start without it.
 */
public final class VolumeDashboardExample {

    static final String JOB_TYPE = "process-event";
    static final Set<String> OPTIONS = Set.of("jobs", "concurrency", "hour-ms", "work-micros", "failure-rate",
            "dashboard-address", "dashboard-port", "dashboard-token", "linger-seconds");

    /** What the run did: jobs of the day, the console's address, and the ids of the jobs left DEAD on purpose. */
    public record Result(int jobs, URI dashboard, List<JobId> deadJobs) {
    }

    private VolumeDashboardExample() {
    }

    public static void main(String[] args) throws InterruptedException {
        try {
            run(args, System.getenv(), Terminal.system());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(64);
        }
    }

    public static Result run(String[] args, Map<String, String> environment, Terminal terminal)
            throws InterruptedException {
        ExampleOptions options = ExampleOptions.parse(args, environment, OPTIONS);
        int jobs = options.integer("jobs", 200_000, 1, 10_000_000);
        int concurrency = options.integer("concurrency", 8, 1, 1024);
        long hourMillis = options.whole("hour-ms", 2_500, 0, 3_600_000);
        long workMicros = options.whole("work-micros", 20, 0, 1_000_000);
        double failureRate = options.decimal("failure-rate", 0.01, 0, 0.5);
        long lingerSeconds = options.whole("linger-seconds", 600, 0, 86_400);
        DashboardConfig.Builder console = DashboardConfig.builder()
                .bindAddress(options.text("dashboard-address", "127.0.0.1"))
                .port(options.integer("dashboard-port", 8090, 0, 65_535));
        String token = options.text("dashboard-token", null);
        if (token != null) {
            console.authenticator(DashboardAuthenticator.bearerToken(token));
        }

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CountDownLatch importDone = new CountDownLatch(1);
        try (Sluice sluice = Sluice.builder()
                .concurrency(concurrency)
                .meterRegistry(meters)
                .queue(QueueConfig.builder("default").concurrency(concurrency).tenantShare(0.5).build())
                .handler(JOB_TYPE, String.class, (payload, context) -> {
                    busyWork(workMicros);
                    if (failureRate > 0 && ThreadLocalRandom.current().nextDouble() < failureRate) {
                        throw new IOException("downstream service answered 503 (simulated)");
                    }
                    return null;
                }, RetryPolicy.builder().maxAttempts(3).initialInterval(Duration.ofMillis(10))
                        .maxInterval(Duration.ofMillis(100)).build(), null)
                .handler("import-file", String.class, (file, context) -> {
                    for (int step = 1; step <= 20; step++) {
                        importDone.await(Math.max(1, hourMillis * 24 / 20), TimeUnit.MILLISECONDS);
                        context.reportProgress(step, 20);
                    }
                    return "imported " + file;
                })
                .handler("send-invoice", String.class, (customer, context) -> {
                    throw new IllegalStateException("no address on file for customer " + customer);
                })
                .build()
                .start();
             Dashboard dashboard = Dashboard.start(sluice, console.meterRegistry(meters).build())) {
            terminal.line("Dashboard at " + dashboard.uri() + "  (Ctrl-C to stop)");
            terminal.line(String.format(Locale.ROOT, "%,d jobs over a day of 24 x %d ms, %d workers, %.1f%% failing "
                    + "attempts", jobs, hourMillis, concurrency, failureRate * 100));

            sluice.submit(JobRequest.builder("import-file").payload("ledger-2026-11.csv").priority(Priority.HIGH)
                    .build());
            List<JobId> dead = sluice.submitAll(List.of(
                    JobRequest.builder("send-invoice").payload("<img src=x onerror=alert('payloads are data')>")
                            .maxAttempts(1).build(),
                    JobRequest.builder("send-invoice").payload("ada").maxAttempts(2).build()));

            new DayOfJobs(jobs, hourMillis, JOB_TYPE).submitAll(sluice);
            importDone.countDown();
            terminal.line("all jobs submitted; the dashboard stays up for " + lingerSeconds + " s");
            Thread.sleep(TimeUnit.SECONDS.toMillis(lingerSeconds)); // keeps the console open for people to look
            return new Result(jobs, dashboard.uri(), dead);
        }
    }

    /** Simulated CPU work: a busy loop of about {@code micros}. */
    private static void busyWork(long micros) {
        long until = System.nanoTime() + micros * 1_000;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
