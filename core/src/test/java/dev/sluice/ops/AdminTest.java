package dev.sluice.ops;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.NonRetryableException;
import dev.sluice.Priority;
import dev.sluice.Sluice;
import dev.sluice.graph.FailurePolicy;
import dev.sluice.observe.ObservabilityConfig;
import dev.sluice.store.Dependency;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.NewJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.ops.OpsTesting.PATIENCE;
import static dev.sluice.ops.OpsTesting.engine;
import static dev.sluice.ops.OpsTesting.fastOperations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

class AdminTest {

    /** A queue no engine serves: its jobs wait until the test acts on them. */
    private static final String HELD = "held";

    private final InMemoryJobStore store = InMemoryJobStore.builder().build();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch blockerStarted = new CountDownLatch(1);
    private final AtomicInteger workRuns = new AtomicInteger();
    private Sluice sluice;
    private SluiceAdmin admin;

    @BeforeEach
    void startEngine() {
        sluice = engine(store).nodeId("admin-node")
                .handler("work", String.class, (payload, ctx) -> {
                    workRuns.incrementAndGet();
                    return "done";
                })
                .handler("fatal", String.class, (payload, ctx) -> {
                    throw new NonRetryableException("fatal");
                })
                .handler("blocker", String.class, (payload, ctx) -> {
                    ctx.reportProgress(1, 2);
                    blockerStarted.countDown();
                    release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    return null;
                })
                .leaseDuration(Duration.ofMinutes(10)) // progress is written with renewals: every 200 s
                .completionMaxDelay(Duration.ofMinutes(1)) // completions wait for a flush while the blocker runs
                .observability(ObservabilityConfig.builder().refreshInterval(Duration.ofMillis(100)).build())
                .operations(fastOperations().drainBatchSize(3).build())
                .build().start();
        admin = sluice.admin();
    }

    @AfterEach
    void closeEngine() {
        release.countDown();
        sluice.close();
    }

    private JobId held(String type) {
        return sluice.submit(JobRequest.builder(type).payload("x").queue(HELD).build());
    }

    private JobId dead() throws InterruptedException {
        JobId id = sluice.submit(JobRequest.of("fatal", "x"));
        sluice.await(id, PATIENCE);
        return id;
    }

    @Test
    void listsJobsWithFiltersAndKeysetPaging() {
        List<JobId> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(held(i % 2 == 0 ? "work" : "fatal"));
        }

        JobQuery query = new JobQuery(JobState.READY, HELD, null, null, 2);
        JobPage first = admin.jobs(query);
        JobPage second = admin.jobs(query.after(JobId.parse(first.nextAfterId())));
        JobPage third = admin.jobs(query.after(JobId.parse(second.nextAfterId())));

        assertThat(first.jobs()).extracting(JobSummary::id).containsExactly(ids.get(0).toString(), ids.get(1).toString());
        assertThat(second.jobs()).extracting(JobSummary::id).containsExactly(ids.get(2).toString(), ids.get(3).toString());
        assertThat(third.jobs()).extracting(JobSummary::id).containsExactly(ids.get(4).toString());
        assertThat(third.nextAfterId()).isNull();
        assertThat(admin.jobs(new JobQuery(null, HELD, "work", null, 10)).jobs()).hasSize(3)
                .allSatisfy(job -> {
                    assertThat(job.type()).isEqualTo("work");
                    assertThat(job.state()).isEqualTo(JobState.READY);
                    assertThat(job.queue()).isEqualTo(HELD);
                });
    }

    @Test
    void showsAJobWithItsParentsAndChildren() {
        JobId parent = held("work");
        JobId child = JobId.next();
        store.enqueue(List.of(new NewJob(child, "work", HELD, Priority.HIGH, "x".getBytes(), 0, 3, 0, null, null,
                System.currentTimeMillis(), List.of(new Dependency(parent, FailurePolicy.CANCEL_DEPENDENTS)))));

        JobDetail childDetail = admin.job(child).orElseThrow();
        JobDetail parentDetail = admin.job(parent).orElseThrow();

        assertThat(childDetail.job().state()).isEqualTo(JobState.WAITING);
        assertThat(childDetail.job().priority()).isEqualTo(Priority.HIGH);
        assertThat(childDetail.payloadBytes()).isEqualTo(1);
        assertThat(childDetail.parents()).containsExactly(
                new JobDetail.Parent(parent.toString(), FailurePolicy.CANCEL_DEPENDENTS, JobState.READY));
        assertThat(parentDetail.children()).containsExactly(child.toString());
        assertThat(parentDetail.parents()).isEmpty();
        assertThat(admin.job(JobId.next())).isEmpty();
    }

    @Test
    void retriesManyJobsWithAnOutcomePerId() throws InterruptedException {
        JobId dead1 = dead();
        JobId dead2 = dead();
        JobId waiting = held("work");
        JobId unknown = JobId.next();

        List<JobActionResult> results = admin.retry(List.of(dead1, waiting, unknown, dead2));

        assertThat(results).extracting(JobActionResult::id, JobActionResult::outcome).containsExactly(
                tuple(dead1.toString(), JobActionResult.Outcome.DONE),
                tuple(waiting.toString(), JobActionResult.Outcome.REFUSED),
                tuple(unknown.toString(), JobActionResult.Outcome.NOT_FOUND),
                tuple(dead2.toString(), JobActionResult.Outcome.DONE));
        assertThat(results.get(1).state()).isEqualTo(JobState.READY);
        assertThat(results.get(2).state()).isNull();
        await().atMost(PATIENCE).until(() -> store.find(dead1).orElseThrow().state() == JobState.DEAD
                && store.find(dead1).orElseThrow().attempts() == 1);
    }

    @Test
    void cancelsManyJobsWithAnOutcomePerId() throws InterruptedException {
        JobId finished = dead(); // before the blocker runs: completions linger while it does
        JobId waiting = held("work");
        JobId running = sluice.submit(JobRequest.of("blocker", "x"));
        assertThat(blockerStarted.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        JobId unknown = JobId.next();

        List<JobActionResult> results = admin.cancel(List.of(waiting, running, finished, unknown));

        assertThat(results).extracting(JobActionResult::outcome).containsExactly(JobActionResult.Outcome.DONE,
                JobActionResult.Outcome.REQUESTED, JobActionResult.Outcome.REFUSED, JobActionResult.Outcome.NOT_FOUND);
        assertThat(results.get(0).state()).isEqualTo(JobState.CANCELLED);
        assertThat(results.get(2).state()).isEqualTo(JobState.DEAD);
        assertThat(sluice.await(running, PATIENCE).state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void reprioritizesJobsThatHaveNotStarted() throws InterruptedException {
        JobId waiting = held("work");
        JobId finished = dead();

        List<JobActionResult> results = admin.reprioritize(List.of(waiting, finished), Priority.CRITICAL);

        assertThat(results).extracting(JobActionResult::outcome)
                .containsExactly(JobActionResult.Outcome.DONE, JobActionResult.Outcome.REFUSED);
        assertThat(store.find(waiting).orElseThrow().priority()).isEqualTo(Priority.CRITICAL);
        assertThat(admin.reprioritize(JobId.next(), Priority.LOW).outcome())
                .isEqualTo(JobActionResult.Outcome.NOT_FOUND);
    }

    @Test
    void bulkCallsRejectBadIdListsBeforeChangingAnything() {
        JobId waiting = held("work");
        List<JobId> withNull = new ArrayList<>();
        withNull.add(waiting);
        withNull.add(null);
        List<JobId> tooMany = new ArrayList<>();
        for (int i = 0; i <= SluiceAdmin.MAX_IDS; i++) {
            tooMany.add(waiting);
        }

        assertThatThrownBy(() -> admin.cancel(withNull))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id 1 of 2 is null");
        assertThatThrownBy(() -> admin.cancel(tooMany))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10001");
        assertThat(store.find(waiting).orElseThrow().state()).isEqualTo(JobState.READY);
        assertThatThrownBy(() -> admin.drainQueue("Bad Queue"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Bad Queue'");
    }

    @Test
    void pausesAndResumesAQueue() throws InterruptedException {
        admin.pauseQueue("default");
        JobId id = sluice.submit(JobRequest.of("work", "x"));
        assertThat(store.pausedQueues()).contains("default");
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(JobState.READY);

        admin.resumeQueue("default");

        assertThat(sluice.await(id, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void drainsAQueueInBatchesAndLetsRunningJobsFinish() throws InterruptedException {
        List<JobId> waiting = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            waiting.add(held("work"));
        }
        JobId running = sluice.submit(JobRequest.of("blocker", "x"));
        JobId waitingInDefault = sluice.submit(JobRequest.of("work", "x"));
        assertThat(blockerStarted.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        assertThat(admin.drainQueue(HELD)).isEqualTo(7); // batches of 3, 3, 1
        assertThat(admin.drainQueue("default")).isLessThanOrEqualTo(1);

        assertThat(waiting).allMatch(id -> store.find(id).orElseThrow().state() == JobState.CANCELLED);
        release.countDown();
        assertThat(sluice.await(running, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(sluice.await(waitingInDefault, PATIENCE).state()).isIn(JobState.SUCCEEDED, JobState.CANCELLED);
    }

    @Test
    void flushWritesLingeringCompletionsAndProgressAtOnce() throws InterruptedException {
        JobId running = sluice.submit(JobRequest.of("blocker", "x"));
        assertThat(blockerStarted.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        JobId quick = sluice.submit(JobRequest.of("work", "x"));
        await().atMost(PATIENCE).until(() -> workRuns.get() == 1);
        // Its completion waits to share a store call while the blocker runs; progress waits for a renewal.
        assertThat(store.find(quick).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        assertThat(store.find(running).orElseThrow().progress()).isZero();

        assertThat(admin.flush(PATIENCE)).isTrue();

        assertThat(store.find(quick).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(store.find(running).orElseThrow().progress()).isEqualTo(0.5);
    }

    @Test
    void theClusterViewShowsNodesLeaderAndQueues() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            held("work");
        }
        for (int i = 0; i < 3; i++) {
            sluice.await(sluice.submit(JobRequest.of("work", "x")), PATIENCE);
        }
        await().atMost(PATIENCE).until(() -> admin.leads() && !admin.cluster().nodes().isEmpty());
        await().atMost(PATIENCE).until(() -> admin.cluster().queues().stream()
                .anyMatch(q -> q.queue().equals(HELD) && q.ready() == 4));

        ClusterView view = admin.cluster();

        assertThat(view.leader().nodeId()).isEqualTo("admin-node");
        assertThat(view.nodes()).singleElement().satisfies(node -> {
            assertThat(node.nodeId()).isEqualTo("admin-node");
            assertThat(node.leader()).isTrue();
            assertThat(node.workers()).isEqualTo(8);
        });
        assertThat(view.queues()).extracting(ClusterView.Queue::queue).containsExactly("default", HELD);
        ClusterView.Queue held = view.queues().get(1);
        assertThat(held.depth()).isEqualTo(4);
        assertThat(held.paused()).isFalse();
        assertThat(view.queues().get(0).succeeded()).isEqualTo(3);
    }
}
