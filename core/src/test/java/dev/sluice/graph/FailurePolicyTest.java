package dev.sluice.graph;

import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.NonRetryableException;
import dev.sluice.Sluice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.sluice.graph.GraphTesting.PATIENCE;
import static dev.sluice.graph.GraphTesting.engine;
import static dev.sluice.graph.GraphTesting.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a parent's failure, or a cancel, does to its dependents under each failure policy. */
@Timeout(60)
class FailurePolicyTest {

    /** What each "child" job saw through parents(), by its payload. */
    private final Map<String, List<JobInfo>> seenParents = new ConcurrentHashMap<>();

    private Sluice start() {
        return engine()
                .handler("ok", String.class, (p, ctx) -> "ok:" + p)
                .handler("fail", String.class, (p, ctx) -> {
                    throw new NonRetryableException("bad input " + p);
                })
                .handler("child", String.class, (p, ctx) -> {
                    seenParents.put(p, ctx.parents());
                    return p;
                })
                .build().start();
    }

    /** A graph where "ok" succeeds, "bad" ends DEAD, and one child per policy waits for both. */
    private static JobGraph oneChildPerPolicy() {
        return JobGraph.builder()
                .job("ok", job("ok", "1"))
                .job("bad", job("fail", "2"))
                .job("cancel", job("child", "cancel"))
                .job("run", job("child", "run"))
                .job("ignore", job("child", "ignore"))
                .job("grandchild", job("child", "grandchild"))
                .dependsOn("cancel", "ok").dependsOn("cancel", FailurePolicy.CANCEL_DEPENDENTS, "bad")
                .dependsOn("run", "ok").dependsOn("run", FailurePolicy.RUN_DEPENDENTS, "bad")
                .dependsOn("ignore", "ok").dependsOn("ignore", FailurePolicy.IGNORE, "bad")
                .dependsOn("grandchild", "cancel")
                .build();
    }

    @Test
    void cancelDependentsCancelsTheChildAndCascades() throws Exception {
        try (Sluice sluice = start()) {
            GraphHandle graph = sluice.submit(oneChildPerPolicy());

            JobInfo cancelled = sluice.await(graph.id("cancel"), PATIENCE);
            JobInfo grandchild = sluice.await(graph.id("grandchild"), PATIENCE);

            assertThat(sluice.await(graph.id("bad"), PATIENCE).state()).isEqualTo(JobState.DEAD);
            assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
            assertThat(cancelled.lastError()).get().asString().contains(graph.id("bad").toString()).contains("DEAD");
            assertThat(grandchild.state()).isEqualTo(JobState.CANCELLED);
            assertThat(grandchild.lastError()).get().asString().contains(graph.id("cancel").toString());
            assertThat(seenParents).doesNotContainKeys("cancel", "grandchild");
        }
    }

    @Test
    void runDependentsRunsTheChildWhichSeesTheFailedParent() throws Exception {
        try (Sluice sluice = start()) {
            GraphHandle graph = sluice.submit(oneChildPerPolicy());

            assertThat(sluice.await(graph.id("run"), PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);

            List<JobInfo> parents = seenParents.get("run");
            assertThat(parents).extracting(JobInfo::id).containsExactly(graph.id("ok"), graph.id("bad"));
            assertThat(parents).extracting(JobInfo::state).containsExactly(JobState.SUCCEEDED, JobState.DEAD);
            assertThat(parents.get(0).result(String.class)).contains("ok:1");
            assertThat(parents.get(1).lastError()).get().asString().contains("bad input 2");
            assertThat(parents.get(1).result(String.class)).isEmpty();
        }
    }

    @Test
    void ignoreRunsTheChildAndLeavesTheFailedParentOut() throws Exception {
        try (Sluice sluice = start()) {
            GraphHandle graph = sluice.submit(oneChildPerPolicy());

            assertThat(sluice.await(graph.id("ignore"), PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);

            assertThat(seenParents.get("ignore")).extracting(JobInfo::id).containsExactly(graph.id("ok"));
        }
    }

    @Test
    void theGraphsPolicyAppliesToEdgesWithoutTheirOwn() throws Exception {
        try (Sluice sluice = start()) {
            GraphHandle graph = sluice.submit(JobGraph.builder()
                    .failurePolicy(FailurePolicy.RUN_DEPENDENTS)
                    .job("bad", job("fail", "x"))
                    .job("after", job("child", "after"))
                    .dependsOn("after", "bad")
                    .build());

            assertThat(sluice.await(graph.id("after"), PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(seenParents.get("after")).extracting(JobInfo::state).containsExactly(JobState.DEAD);
        }
    }

    @Test
    void cancellingAParentCascadesByPolicy() throws Exception {
        try (Sluice sluice = start()) {
            GraphHandle graph = sluice.submit(JobGraph.builder()
                    .job("later", JobRequest.builder("ok").payload("later").delay(Duration.ofHours(1)).build())
                    .job("cancel", job("child", "cancel"))
                    .job("cancel-below", job("child", "cancel-below"))
                    .job("run", job("child", "run"))
                    .job("run-below", job("child", "run-below"))
                    .dependsOn("cancel", "later")
                    .dependsOn("cancel-below", "cancel")
                    .dependsOn("run", FailurePolicy.RUN_DEPENDENTS, "later")
                    .dependsOn("run-below", "run")
                    .build());
            assertThat(sluice.graphStatus(graph).count(JobState.WAITING)).isEqualTo(4);

            assertThat(sluice.cancel(graph.id("later"))).isTrue();

            assertThat(sluice.await(graph.id("cancel-below"), PATIENCE).state()).isEqualTo(JobState.CANCELLED);
            assertThat(sluice.await(graph.id("run-below"), PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            GraphStatus status = sluice.graphStatus(graph);
            assertThat(status.failed()).extracting(GraphStatus.FailedJob::key)
                    .containsExactly("later", "cancel", "cancel-below");
            assertThat(status.count(JobState.SUCCEEDED)).isEqualTo(2);
            assertThat(status.isFinished()).isTrue();
            assertThat(status.succeeded()).isFalse();
        }
    }

    @Test
    void edgesToEarlierJobsSeeTheirStateAtOnce() throws Exception {
        try (Sluice sluice = start()) {
            JobId done = sluice.submit(job("ok", "done"));
            JobId dead = sluice.submit(job("fail", "dead"));
            sluice.await(done, PATIENCE);
            sluice.await(dead, PATIENCE);

            GraphHandle graph = sluice.submit(JobGraph.builder()
                    .job("after-done", job("child", "after-done"))
                    .job("after-dead", job("child", "after-dead"))
                    .job("after-dead-run", job("child", "after-dead-run"))
                    .dependsOnJob("after-done", done)
                    .dependsOnJob("after-dead", dead)
                    .dependsOnJob("after-dead-run", dead, FailurePolicy.RUN_DEPENDENTS)
                    .build());

            assertThat(sluice.find(graph.id("after-dead")).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
            assertThat(sluice.await(graph.id("after-done"), PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(sluice.await(graph.id("after-dead-run"), PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(seenParents.get("after-done")).extracting(JobInfo::id).containsExactly(done);
        }
    }

    @Test
    void anEdgeToAnUnknownEarlierJobIsRefusedAndNothingIsStored() {
        try (Sluice sluice = start()) {
            JobId unknown = JobId.next();
            JobGraph graph = JobGraph.builder()
                    .job("a", job("ok", "a"))
                    .job("b", job("child", "b"))
                    .dependsOn("b", "a")
                    .dependsOnJob("b", unknown)
                    .build();

            assertThatThrownBy(() -> sluice.submit(graph))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(unknown.toString());
            assertThat(sluice.stats().queues()).allSatisfy((queue, stats) ->
                    assertThat(stats.count(JobState.READY) + stats.count(JobState.WAITING)).isZero());
        }
    }

    @Test
    void aBadRequestInAGraphIsNamedByItsKeyAndNothingIsStored() {
        try (Sluice sluice = start()) {
            JobGraph graph = JobGraph.builder()
                    .job("a", job("ok", "a"))
                    .job("typo", job("chld", "b"))
                    .dependsOn("typo", "a")
                    .build();

            assertThatThrownBy(() -> sluice.submit(graph))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("graph job 'typo': no handler registered for job type 'chld'");
            assertThat(sluice.stats().queues()).allSatisfy((queue, stats) ->
                    assertThat(stats.count(JobState.READY)).isZero());
        }
    }
}
