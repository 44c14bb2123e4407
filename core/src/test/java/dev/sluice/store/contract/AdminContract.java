package dev.sluice.store.contract;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.NonRetryableException;
import dev.sluice.Priority;
import dev.sluice.Sluice;
import dev.sluice.ops.ClusterView;
import dev.sluice.ops.JobActionResult;
import dev.sluice.ops.JobDetail;
import dev.sluice.ops.JobPage;
import dev.sluice.ops.JobSummary;
import dev.sluice.ops.OperationsConfig;
import dev.sluice.ops.PurgeReport;
import dev.sluice.ops.RecurringJob;
import dev.sluice.ops.RetentionPolicy;
import dev.sluice.ops.SluiceAdmin;
import dev.sluice.store.StoredJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The admin API ({@code sluice.admin()}) and recurring fires on engines built over the store: what a dashboard and
 * ops scripts rely on, whatever the store. Engines read the test's clock, like the store.
 */
abstract class AdminContract extends ContractTheme {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /** A queue the engines do not serve: its jobs wait until the test acts on them. */
    private static final String HELD = "held";

    private final List<Sluice> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(Sluice::close);
    }

    private Sluice engine(String node, OperationsConfig.Builder operations, RecurringJob... recurring) {
        Sluice.Builder builder = Sluice.builder().store(store).clock(clock).nodeId(node)
                .drainTimeout(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .leaseDuration(Duration.ofDays(365)) // tests move the clock by days
                .handler("work", String.class, (payload, ctx) -> "done")
                .handler("fatal", String.class, (payload, ctx) -> {
                    throw new NonRetryableException("fatal");
                })
                .operations(operations.leaderLease(Duration.ofMillis(600))
                        .heartbeatInterval(Duration.ofMillis(200))
                        .recurringCheckInterval(Duration.ofMillis(20))
                        .auditFlushInterval(Duration.ofMillis(20))
                        .drainBatchSize(2)
                        .build());
        for (RecurringJob job : recurring) {
            builder.recurring(job);
        }
        Sluice sluice = builder.build().start();
        engines.add(sluice);
        return sluice;
    }

    private Sluice engine() {
        return engine(NODE, OperationsConfig.builder().retention(RetentionPolicy.none()));
    }

    private JobId held(Sluice sluice) {
        return sluice.submit(JobRequest.builder("work").payload("x").queue(HELD).build());
    }

    private JobId finished(Sluice sluice, String type) throws InterruptedException {
        JobId id = sluice.submit(JobRequest.of(type, "x"));
        sluice.await(id, PATIENCE);
        return id;
    }

    @Test
    void listsPagesAndShowsAJobWithItsFamily() {
        Sluice sluice = engine();
        List<JobId> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(held(sluice));
        }
        JobId child = enqueue(job().queue(HELD).after(ids.get(0))).get(0);
        SluiceAdmin admin = sluice.admin();

        JobPage first = admin.jobs(new JobQuery(JobState.READY, HELD, "work", null, 2));
        JobPage second = admin.jobs(new JobQuery(JobState.READY, HELD, "work", JobId.parse(first.nextAfterId()), 2));

        assertThat(first.jobs()).extracting(JobSummary::id).containsExactly(ids.get(0).toString(), ids.get(1).toString());
        assertThat(second.jobs()).extracting(JobSummary::id).containsExactly(ids.get(2).toString());
        assertThat(second.nextAfterId()).isNull();
        JobDetail parent = admin.job(ids.get(0)).orElseThrow();
        JobDetail waiting = admin.job(child).orElseThrow();
        assertThat(parent.children()).containsExactly(child.toString());
        assertThat(waiting.job().state()).isEqualTo(JobState.WAITING);
        assertThat(waiting.parents()).extracting(JobDetail.Parent::id, JobDetail.Parent::state)
                .containsExactly(tuple(ids.get(0).toString(), JobState.READY));
    }

    @Test
    void bulkControlAndDrainReportAnOutcomePerJob() throws InterruptedException {
        Sluice sluice = engine();
        SluiceAdmin admin = sluice.admin();
        JobId dead = finished(sluice, "fatal");
        JobId done = finished(sluice, "work");
        List<JobId> waiting = List.of(held(sluice), held(sluice), held(sluice));
        JobId unknown = JobId.next();

        assertThat(admin.retry(List.of(dead, waiting.get(0), unknown))).extracting(JobActionResult::outcome)
                .containsExactly(JobActionResult.Outcome.DONE, JobActionResult.Outcome.REFUSED,
                        JobActionResult.Outcome.NOT_FOUND);
        assertThat(admin.reprioritize(List.of(waiting.get(0), done), Priority.HIGH))
                .extracting(JobActionResult::outcome)
                .containsExactly(JobActionResult.Outcome.DONE, JobActionResult.Outcome.REFUSED);
        assertThat(admin.cancel(List.of(waiting.get(0), done))).extracting(JobActionResult::outcome)
                .containsExactly(JobActionResult.Outcome.DONE, JobActionResult.Outcome.REFUSED);
        assertThat(admin.drainQueue(HELD)).isEqualTo(2);
        assertThat(waiting).allMatch(id -> stateOf(id) == JobState.CANCELLED);
    }

    @Test
    void purgesKeepExactlyTheRightJobs() throws InterruptedException {
        Sluice sluice = engine();
        JobId oldDone = finished(sluice, "work");
        JobId oldDead = finished(sluice, "fatal");
        clock.advance(Duration.ofDays(31));
        JobId recent1 = finished(sluice, "work");
        JobId recent2 = finished(sluice, "work");
        JobId recent3 = finished(sluice, "work");
        JobId unfinished = held(sluice);
        RetentionPolicy policy = RetentionPolicy.builder().finishedFor(Duration.ofDays(30)).keepNewestPerType(2)
                .deadFor(Duration.ofDays(90)).batchSize(1).pauseBetweenBatches(Duration.ZERO).build();

        assertThat(sluice.admin().purge(policy)).isEqualTo(new PurgeReport(2, 0));

        assertThat(store.find(oldDone)).isEmpty();
        assertThat(store.find(recent1)).isEmpty();
        assertThat(List.of(recent2, recent3, oldDead, unfinished)).allMatch(id -> store.find(id).isPresent());
        clock.advance(Duration.ofDays(60));
        assertThat(sluice.admin().purge(policy)).isEqualTo(new PurgeReport(2, 1));
        assertThat(store.find(unfinished)).isPresent();
    }

    @Test
    void theAuditTrailAndTheClusterViewGoThroughTheStore() throws InterruptedException {
        Sluice sluice = engine(NODE, OperationsConfig.builder().auditTrail(true).retention(RetentionPolicy.none()));
        JobId id = finished(sluice, "work");

        await().atMost(PATIENCE).until(() -> sluice.admin().job(id).orElseThrow().history().size() == 3);
        assertThat(sluice.admin().job(id).orElseThrow().history())
                .extracting(JobDetail.StateChange::from, JobDetail.StateChange::to, JobDetail.StateChange::node)
                .containsExactly(tuple(null, JobState.READY, NODE),
                        tuple(JobState.READY, JobState.RUNNING, NODE),
                        tuple(JobState.RUNNING, JobState.SUCCEEDED, NODE));
        await().atMost(PATIENCE).until(() -> sluice.admin().leads() && !sluice.admin().cluster().nodes().isEmpty());
        ClusterView view = sluice.admin().cluster();
        assertThat(view.leader().nodeId()).isEqualTo(NODE);
        assertThat(view.nodes()).extracting(ClusterView.Node::nodeId).containsExactly(NODE);
    }

    @Test
    void aRecurringJobFiresOncePerFireAcrossTwoEngines() {
        RecurringJob minutely = RecurringJob.every("minutely", Duration.ofMinutes(1), JobRequest.of("work", "x"));
        engine("node-a", OperationsConfig.builder().retention(RetentionPolicy.none()), minutely);
        engine("node-b", OperationsConfig.builder().retention(RetentionPolicy.none()), minutely);

        // The engines start at START, a fire time: it is their first fire.
        for (int fire = 1; fire <= 3; fire++) {
            clock.set(START.plus(Duration.ofMinutes(fire - 1)));
            int expected = fire;
            await().atMost(PATIENCE).until(() -> {
                List<StoredJob> jobs = store.list(new JobQuery(null, null, "work", null, 100));
                return jobs.size() >= expected && jobs.stream().allMatch(j -> j.state() == JobState.SUCCEEDED);
            });
            assertThat(store.list(new JobQuery(null, null, "work", null, 100))).hasSize(expected);
        }
        assertThat(store.lastFire("minutely")).hasValue(START.plus(Duration.ofMinutes(2)).toEpochMilli());
    }
}
