package dev.sluice.ops;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.StoredJob;
import dev.sluice.store.contract.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.ops.OpsTesting.PATIENCE;
import static dev.sluice.ops.OpsTesting.allIn;
import static dev.sluice.ops.OpsTesting.engine;
import static dev.sluice.ops.OpsTesting.fastOperations;
import static dev.sluice.ops.OpsTesting.jobsOfType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RecurringJobsTest {

    private static final Instant START = Instant.parse("2026-03-29T00:55:30Z");

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryJobStore store = InMemoryJobStore.builder().clock(clock).build();
    private final Map<JobId, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final List<Sluice> engines = new ArrayList<>();
    private final FireLog fireLog = new FireLog();

    @AfterEach
    void closeEngines() {
        engines.forEach(Sluice::close);
    }

    private Sluice start(RecurringJob job, OperationsConfig operations) {
        String node = "node-" + (engines.size() + 1);
        Sluice sluice = engine(fireLog.storeFor(node, store)).clock(clock).nodeId(node)
                .handler("report", String.class, (payload, ctx) -> {
                    runs.computeIfAbsent(ctx.jobId(), id -> new AtomicInteger()).incrementAndGet();
                    return null;
                })
                .recurring(job)
                .operations(operations)
                .build().start();
        engines.add(sluice);
        return sluice;
    }

    @Test
    void aCronScheduleFiresExactlyOncePerFireAcrossThreeEngines() {
        RecurringJob minutely = RecurringJob.cron("minutely-report", "* * * * *", ZoneId.of("Europe/Paris"),
                JobRequest.of("report", "x"));
        for (int i = 0; i < 3; i++) {
            start(minutely, fastOperations().build());
        }
        Instant firstFire = Instant.parse("2026-03-29T00:56:00Z");

        for (int fire = 1; fire <= 10; fire++) {
            // Every step moves the clock past the leader lease too, so the leadership moves between the engines.
            clock.set(firstFire.plus(Duration.ofMinutes(fire - 1)));
            int expected = fire;
            await().atMost(PATIENCE).until(() -> {
                List<StoredJob> jobs = jobsOfType(store, "report");
                return jobs.size() >= expected && allIn(jobs, JobState.SUCCEEDED);
            });
            assertThat(jobsOfType(store, "report")).hasSize(expected);
        }

        assertThat(engines.get(0).admin().recurringJobs()).singleElement()
                .satisfies(view -> assertThat(view.zone()).isEqualTo("Europe/Paris"));
        engines.forEach(Sluice::close);
        List<StoredJob> jobs = jobsOfType(store, "report");
        assertThat(jobs).hasSize(10);
        assertThat(runs).hasSize(10);
        assertThat(runs.values()).allMatch(count -> count.get() == 1);
        assertThat(store.lastFire("minutely-report"))
                .hasValue(firstFire.plus(Duration.ofMinutes(9)).toEpochMilli());
        List<Instant> expectedFires = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expectedFires.add(firstFire.plus(Duration.ofMinutes(i)));
            assertThat(jobs.get(i).createdAt()).isEqualTo(expectedFires.get(i));
        }
        assertThat(fireLog.times()).containsExactlyElementsOf(expectedFires);
    }

    @Test
    void aScheduleStartsCountingFromTheEnginesStart() {
        Sluice sluice = start(RecurringJob.every("hourly", Duration.ofHours(1), JobRequest.of("report", "x")),
                fastOperations().build());
        await().atMost(PATIENCE).until(() -> sluice.admin().leads());

        // 00:00 was before the start: not a fire of this schedule.
        assertThat(jobsOfType(store, "report")).isEmpty();
        clock.set(Instant.parse("2026-03-29T01:00:00Z"));
        await().atMost(PATIENCE).until(() -> jobsOfType(store, "report").size() == 1);
        assertThat(sluice.admin().recurringJobs()).singleElement().satisfies(view -> {
            assertThat(view.lastFire()).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
            assertThat(view.nextFire()).isEqualTo(Instant.parse("2026-03-29T02:00:00Z"));
            assertThat(view.schedule()).contains("PT1H");
            assertThat(view.zone()).isNull();
        });
    }

    @Test
    void catchUpStoresTheMissedFiresUpToItsLimitAfterAnOutage() {
        store.enqueueFire("every-minute", Instant.parse("2026-03-29T00:55:00Z").toEpochMilli(),
                new dev.sluice.store.NewJob(JobId.next(), "report", "default", dev.sluice.Priority.NORMAL,
                        new byte[0], 0, 1, 0, null, null, clock.millis()));
        clock.set(Instant.parse("2026-03-29T01:10:30Z")); // 15 fires missed while no engine ran
        start(RecurringJob.builder("every-minute", JobRequest.of("report", "x"))
                .every(Duration.ofMinutes(1)).misfire(MisfirePolicy.catchUp(4)).build(), fastOperations().build());

        await().atMost(PATIENCE).until(() -> jobsOfType(store, "report").size() == 5);
        assertThat(fireLog.times()).containsExactly(Instant.parse("2026-03-29T01:07:00Z"),
                Instant.parse("2026-03-29T01:08:00Z"), Instant.parse("2026-03-29T01:09:00Z"),
                Instant.parse("2026-03-29T01:10:00Z"));
    }

    @Test
    void skipDropsFiresMissedBeyondItsGrace() {
        clock.set(Instant.parse("2026-03-29T01:00:00Z"));
        Sluice sluice = start(RecurringJob.builder("every-minute", JobRequest.of("report", "x"))
                .every(Duration.ofMinutes(1)).misfire(MisfirePolicy.skip(Duration.ofSeconds(30))).build(),
                fastOperations().build());
        await().atMost(PATIENCE).until(() -> store.lastFire("every-minute").isPresent());
        assertThat(jobsOfType(store, "report")).hasSize(1);

        clock.set(Instant.parse("2026-03-29T01:05:45Z")); // the 01:05 fire is 45 s late: past the grace
        await().atMost(PATIENCE).until(() -> sluice.admin().leads());
        clock.set(Instant.parse("2026-03-29T01:06:10Z")); // the 01:06 fire is 10 s late: within it

        await().atMost(PATIENCE).until(() -> jobsOfType(store, "report").size() == 2);
        assertThat(fireLog.times()).containsExactly(Instant.parse("2026-03-29T01:00:00Z"),
                Instant.parse("2026-03-29T01:06:00Z"));
    }

    @Test
    void noOverlapSkipsFiresWhileThePreviousFireRuns() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        Sluice sluice = engine(store).clock(clock)
                .handler("slow-report", String.class, (payload, ctx) -> {
                    started.incrementAndGet();
                    release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    return null;
                })
                .leaseDuration(Duration.ofHours(1)) // the clock jumps: the running fire must keep its lease
                .recurring(RecurringJob.builder("slow", JobRequest.of("slow-report", "x"))
                        .every(Duration.ofMinutes(1)).noOverlap(true).build())
                .operations(fastOperations().leaderLease(Duration.ofHours(1)).build())
                .build().start();
        engines.add(sluice);

        clock.set(Instant.parse("2026-03-29T00:56:00Z"));
        await().atMost(PATIENCE).until(() -> started.get() == 1);
        clock.set(Instant.parse("2026-03-29T00:57:00Z"));
        await().atMost(PATIENCE).until(() -> store.lastFire("slow").getAsLong()
                == Instant.parse("2026-03-29T00:57:00Z").toEpochMilli());
        assertThat(jobsOfType(store, "slow-report")).hasSize(1);

        release.countDown();
        await().atMost(PATIENCE).until(() -> allIn(jobsOfType(store, "slow-report"), JobState.SUCCEEDED));
        clock.set(Instant.parse("2026-03-29T00:58:00Z"));
        await().atMost(PATIENCE).until(() -> jobsOfType(store, "slow-report").size() == 2);
        assertThat(jobsOfType(store, "slow-report")).extracting(StoredJob::uniqueKey)
                .containsOnly("recurring:slow");
    }
}
