package dev.sluice.examples.volume;

import dev.sluice.JobEvent;
import dev.sluice.JobListener;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.QueueConfig;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import dev.sluice.examples.support.ExampleOptions;
import dev.sluice.examples.support.ExampleStore;
import dev.sluice.examples.support.Terminal;
import dev.sluice.observe.HealthCheck;
import dev.sluice.observe.HealthReport;
import dev.sluice.observe.ObservabilityConfig;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * A day of 450,000 jobs in compressed time: mixed priorities (2% CRITICAL, 10% HIGH, 58% NORMAL, 30% LOW) and
 * four tenants of unequal size go through one queue, arriving on a business-day curve whose peaks are more than
 * the workers can take, so a backlog builds and priorities decide who waits. Every second it prints jobs/s,
 * queue depth, error rate and the share of starts LOW jobs got; at the end the wait-time percentiles per
 * priority, whether LOW jobs were starved, and the engine's health report with its alerts.
 *
 * <p>The store's priority aging step is compressed with the day (500 ms instead of 60 s by default): a LOW job
 * outranks any job that became ready more than 3 steps after it, so it cannot wait forever behind a flood.
 *
 * <pre>
 * ./mvnw -q -pl examples -am test-compile exec:java -Dexample=dev.sluice.examples.volume.HighVolumeQueueExample
 * ./mvnw ... -Dexec.args="--jobs=100000 --concurrency=4 --work-micros=50 --store=redis"
 * </pre>
 */
public final class HighVolumeQueueExample {

    static final String JOB_TYPE = "process-event";
    static final Set<String> OPTIONS = options();

    /**
     * What the run measured.
     *
     * @param jobs        jobs submitted
     * @param succeeded   jobs that succeeded
     * @param dead        jobs that ended DEAD
     * @param jobsPerSecond jobs ended per second, first submit to last end
     * @param lowStarved  true when a LOW job did not run
     * @param waitP99Millis p99 wait of first attempts per priority
     * @param health      the health report at the end
     */
    public record Result(long jobs, long succeeded, long dead, double jobsPerSecond, boolean lowStarved,
                         Map<Priority, Double> waitP99Millis, HealthReport health) {
    }

    private HighVolumeQueueExample() {
    }

    public static void main(String[] args) throws InterruptedException {
        Result result;
        try {
            result = run(args, System.getenv(), Terminal.system());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(64);
            return;
        }
        if (result.succeeded() + result.dead() != result.jobs() || result.lowStarved()) {
            System.exit(1);
        }
    }

    /** Runs the example with these flags over these environment variables, printing to {@code terminal}. */
    public static Result run(String[] args, Map<String, String> environment, Terminal terminal)
            throws InterruptedException {
        ExampleOptions options = ExampleOptions.parse(args, environment, OPTIONS);
        int jobs = options.integer("jobs", 450_000, 1, 10_000_000);
        int concurrency = options.integer("concurrency", 8, 1, 1024);
        long workMicros = options.whole("work-micros", 5, 0, 1_000_000);
        double failureRate = options.decimal("failure-rate", 0.005, 0, 0.5);
        Duration agingStep = Duration.ofMillis(options.whole("aging-step-ms", 500, 1, 3_600_000));
        long hourMillis = options.whole("hour-ms", 250, 0, 3_600_000);
        long reportMillis = options.whole("report-ms", 1_000, 10, 600_000);

        WaitTimes waits = new WaitTimes(jobs);
        LongAdder succeeded = new LongAdder();
        LongAdder failedAttempts = new LongAdder();
        LongAdder dead = new LongAdder();
        JobListener outcomes = JobListener.of(EnumSet.of(JobEvent.Kind.SUCCEEDED, JobEvent.Kind.FAILED,
                JobEvent.Kind.DEAD), event -> {
            switch (event.kind()) {
                case SUCCEEDED: succeeded.increment(); break;
                case FAILED: failedAttempts.increment(); break;
                default: dead.increment(); break;
            }
        });

        try (ExampleStore store = ExampleStore.open(options, agingStep, Math.max(1_000_000, jobs), concurrency + 4);
             Sluice sluice = Sluice.builder()
                     .store(store.store())
                     .concurrency(concurrency)
                     .queue(QueueConfig.builder("default").concurrency(concurrency).tenantShare(0.5).build())
                     .listener(outcomes)
                     .observability(ObservabilityConfig.builder()
                             .refreshInterval(Duration.ofSeconds(1))
                             .rateWindow(Duration.ofSeconds(10))
                             .alertListener(alert -> terminal.line((alert.active() ? "ALERT   " : "cleared ")
                                     + alert.severity() + " " + alert.rule() + ": " + alert.message()))
                             .build())
                     .handler(JOB_TYPE, String.class, (payload, context) -> {
                         int colon = payload.indexOf(':');
                         if (context.attempt() == 1) {
                             waits.record(Priority.ofWeight(payload.charAt(0) - '0'),
                                     System.nanoTime() - Long.parseLong(payload.substring(colon + 1)));
                         }
                         work(workMicros);
                         if (failureRate > 0 && ThreadLocalRandom.current().nextDouble() < failureRate) {
                             throw new IOException("downstream service answered 503 (simulated)");
                         }
                         return null;
                     }, RetryPolicy.builder().maxAttempts(3).initialInterval(Duration.ofMillis(10))
                             .maxInterval(Duration.ofMillis(100)).build(), null)
                     .build()
                     .start()) {

            terminal.line(String.format(Locale.ROOT, "High-volume queue on the %s store: %,d jobs over a day of 24 x"
                            + " %d ms, %d workers, %d µs of work per job, %.1f%% failing attempts, aging step %d ms",
                    store.description(), jobs, hourMillis, concurrency, workMicros, failureRate * 100,
                    agingStep.toMillis()));
            DayOfJobs day = new DayOfJobs(jobs, hourMillis, JOB_TYPE);
            Thread producer = new Thread(() -> day.submitAll(sluice), "day-of-jobs");
            long start = System.nanoTime();
            producer.start();
            long lastEnded = 0;
            long lastLowStarts = 0;
            long lastAllStarts = 0;
            long lastTick = start;
            while (true) {
                long tickEnd = lastTick + reportMillis * 1_000_000;
                producer.join(reportMillis);
                long left = tickEnd - System.nanoTime();
                if (left > 0) {
                    Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                }
                long ended = succeeded.sum() + dead.sum();
                long now = System.nanoTime();
                long allStarts = 0;
                for (Priority p : Priority.values()) {
                    allStarts += waits.starts(p);
                }
                long lowStarts = waits.starts(Priority.LOW);
                long attempts = ended + failedAttempts.sum();
                terminal.line(String.format(Locale.ROOT, "%6.1f s  hour %02d  submitted %,9d  done %,9d  %,8.0f jobs/s"
                                + "  ready %,7d  errors %.2f%%  LOW share of starts %4.1f%%",
                        (now - start) / 1e9, day.hour(), day.submitted(), ended,
                        (ended - lastEnded) * 1e9 / Math.max(1, now - lastTick),
                        sluice.stats().total(JobState.READY),
                        attempts == 0 ? 0.0 : 100.0 * failedAttempts.sum() / attempts,
                        allStarts == lastAllStarts ? 0.0
                                : 100.0 * (lowStarts - lastLowStarts) / (allStarts - lastAllStarts)));
                lastEnded = ended;
                lastLowStarts = lowStarts;
                lastAllStarts = allStarts;
                lastTick = now;
                if (!producer.isAlive() && ended >= jobs) {
                    break;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // Health and alerts are judged by the observer round (every second here): let one round see the end.
            Thread.sleep(1_200);
            return report(terminal, sluice, jobs, seconds, waits, succeeded.sum(), dead.sum(), agingStep);
        }
    }

    private static Result report(Terminal terminal, Sluice sluice, int jobs, double seconds, WaitTimes waits,
                                 long succeeded, long dead, Duration agingStep) {
        double perSecond = jobs / seconds;
        terminal.line("");
        terminal.line(String.format(Locale.ROOT, "=== %,d jobs in %.1f s: %,.0f jobs/s; %,d succeeded, %,d dead ===",
                jobs, seconds, perSecond, succeeded, dead));
        terminal.line("priority   started      wait p50      wait p99      wait max");
        Map<Priority, Double> p99 = new EnumMap<>(Priority.class);
        for (Priority p : List.of(Priority.CRITICAL, Priority.HIGH, Priority.NORMAL, Priority.LOW)) {
            p99.put(p, waits.quantileMillis(p, 0.99));
            terminal.line(String.format(Locale.ROOT, "%-9s %,9d  %9.1f ms  %9.1f ms  %9.1f ms", p, waits.starts(p),
                    waits.quantileMillis(p, 0.50), p99.get(p), waits.quantileMillis(p, 1.0)));
        }
        long lowSubmitted = 0;
        for (long job = 0; job < jobs; job++) {
            if (DayOfJobs.priorityOf(job) == Priority.LOW) {
                lowSubmitted++;
            }
        }
        boolean starved = waits.starts(Priority.LOW) < lowSubmitted;
        terminal.line(String.format(Locale.ROOT, "LOW jobs %s: %,d of %,d started, the longest waited %.1f s (aging"
                        + " step %.1f s: a LOW job outranks any job that became ready more than 3 steps after it)",
                starved ? "STARVED" : "not starved", waits.starts(Priority.LOW), lowSubmitted,
                waits.quantileMillis(Priority.LOW, 1.0) / 1000, agingStep.toMillis() / 1000.0));

        HealthReport health = sluice.health();
        terminal.line("health: " + health.status() + ", score " + health.score());
        for (HealthCheck check : health.failed()) {
            terminal.line("  failed check " + check.name() + ": " + check.detail());
        }
        sluice.activeAlerts().forEach(alert -> terminal.line("  active alert " + alert.severity() + " "
                + alert.rule() + ": " + alert.message()));
        return new Result(jobs, succeeded, dead, perSecond, starved, p99, health);
    }

    /** Simulated CPU work: a busy loop of about {@code micros}. */
    private static void work(long micros) {
        long until = System.nanoTime() + micros * 1_000;
        long x = 0;
        while (System.nanoTime() < until) {
            x += x * 31 + 7;
        }
        if (x == 42) {
            Thread.onSpinWait(); // keeps the loop from being optimised away
        }
    }

    private static Set<String> options() {
        Set<String> names = new HashSet<>(ExampleStore.OPTIONS);
        names.addAll(List.of("jobs", "concurrency", "work-micros", "failure-rate", "aging-step-ms", "hour-ms",
                "report-ms"));
        return Set.copyOf(names);
    }
}
