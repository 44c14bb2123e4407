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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static dev.sluice.graph.GraphTesting.PATIENCE;
import static dev.sluice.graph.GraphTesting.engine;
import static dev.sluice.graph.GraphTesting.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Job groups with their on-complete callback, and the status of a graph as it runs. */
@Timeout(60)
class GroupAndStatusTest {

    @Test
    void theCallbackRunsOnceEveryMemberEndedAndGetsTheirSummary() throws Exception {
        AtomicReference<GroupSummary> summary = new AtomicReference<>();
        try (Sluice sluice = engine()
                .handler("import", String.class, (file, ctx) -> {
                    if (file.startsWith("broken")) {
                        throw new NonRetryableException("cannot parse " + file);
                    }
                    return file;
                })
                .handler("report", String.class, (batch, ctx) -> {
                    summary.set(GroupSummary.of(ctx));
                    return batch + " done";
                })
                .build().start()) {
            List<JobRequest> members = List.of(
                    job("import", "a.csv"),
                    job("import", "broken-b.csv"),
                    job("import", "c.csv"),
                    job("import", "broken-d.csv"),
                    JobRequest.builder("import").payload("e.csv").delay(Duration.ofHours(1)).build());

            GraphHandle group = sluice.submit(JobGraph.group(members, job("report", "nightly")));
            await().atMost(PATIENCE).until(() -> sluice.graphStatus(group).finished() == 4);
            assertThat(sluice.find(group.id(JobGraph.GROUP_CALLBACK)).orElseThrow().state())
                    .isEqualTo(JobState.WAITING);
            sluice.cancel(group.id(JobGraph.memberKey(4)));
            JobInfo callback = sluice.await(group.id(JobGraph.GROUP_CALLBACK), PATIENCE);

            assertThat(callback.result(String.class)).contains("nightly done");
            GroupSummary s = summary.get();
            assertThat(s.succeeded()).isEqualTo(2);
            assertThat(s.failed()).isEqualTo(2);
            assertThat(s.cancelled()).isEqualTo(1);
            assertThat(s.total()).isEqualTo(5);
            assertThat(s.allSucceeded()).isFalse();
            assertThat(s.failedJobs()).containsExactly(group.id("member-1"), group.id("member-3"),
                    group.id("member-4"));
            Instant first = null;
            Instant last = null;
            for (int i = 0; i < members.size(); i++) {
                JobInfo member = sluice.find(group.id(JobGraph.memberKey(i))).orElseThrow();
                first = first == null || member.createdAt().isBefore(first) ? member.createdAt() : first;
                Instant end = member.finishedAt().orElseThrow();
                last = last == null || end.isAfter(last) ? end : last;
            }
            assertThat(s.submittedAt()).isEqualTo(first);
            assertThat(s.finishedAt()).isEqualTo(last);
            assertThat(s.duration()).isEqualTo(Duration.between(first, last));
        }
    }

    @Test
    void aGroupWhereAllSucceedSaysSo() throws Exception {
        AtomicReference<GroupSummary> summary = new AtomicReference<>();
        try (Sluice sluice = engine().concurrency(4)
                .handler("work", Integer.class, (n, ctx) -> n)
                .handler("done", String.class, (p, ctx) -> {
                    summary.set(GroupSummary.of(ctx));
                    return null;
                })
                .build().start()) {
            List<JobRequest> members = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                members.add(job("work", i));
            }

            GraphHandle group = sluice.submit(JobGraph.group(members, job("done", null)));

            sluice.await(group.id(JobGraph.GROUP_CALLBACK), PATIENCE);
            assertThat(summary.get().succeeded()).isEqualTo(500);
            assertThat(summary.get().allSucceeded()).isTrue();
            assertThat(summary.get().failedJobs()).isEmpty();
        }
    }

    /** The in-memory store keeps finished members past its retainFinished while the callback has not finished. */
    @Test
    void aGroupLargerThanTheStoresRetentionIsCountedWhole() throws Exception {
        AtomicReference<GroupSummary> summary = new AtomicReference<>();
        try (Sluice sluice = engine().store(GraphTesting.memory(50)).concurrency(4)
                .handler("work", Integer.class, (n, ctx) -> n)
                .handler("done", String.class, (p, ctx) -> {
                    summary.set(GroupSummary.of(ctx));
                    return null;
                })
                .build().start()) {
            List<JobRequest> members = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                members.add(job("work", i));
            }

            GraphHandle group = sluice.submit(JobGraph.group(members, job("done", null)));

            sluice.await(group.id(JobGraph.GROUP_CALLBACK), PATIENCE);
            assertThat(summary.get().succeeded()).isEqualTo(400);
            // once the callback finished, the store goes back to keeping 50 finished jobs
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(sluice.find(group.id(JobGraph.memberKey(0))))
                    .isEmpty());
        }
    }

    @Test
    void statusCountsStatesAndPercentDoneAsTheGraphRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Sluice sluice = engine()
                .handler("gate", String.class, (p, ctx) -> {
                    release.await();
                    return null;
                })
                .handler("after", String.class, (p, ctx) -> null)
                .build().start()) {
            GraphHandle graph = sluice.submit(JobGraph.builder()
                    .job("gate", job("gate", null))
                    .job("a", job("after", null)).job("b", job("after", null)).job("c", job("after", null))
                    .fanOut("gate", List.of("a", "b", "c"))
                    .build());

            await().atMost(PATIENCE).until(() -> sluice.graphStatus(graph).count(JobState.RUNNING) == 1);
            GraphStatus running = sluice.graphStatus(graph);
            assertThat(running.count(JobState.WAITING)).isEqualTo(3);
            assertThat(running.percentDone()).isZero();
            assertThat(running.isFinished()).isFalse();
            assertThat(running.toString()).isEqualTo("graph of 4 jobs, 0.0% done: 3 WAITING 1 RUNNING");
            release.countDown();

            await().atMost(PATIENCE).until(() -> sluice.graphStatus(graph).isFinished());
            GraphStatus done = sluice.graphStatus(graph);
            assertThat(done.percentDone()).isEqualTo(100.0);
            assertThat(done.count(JobState.SUCCEEDED)).isEqualTo(4);
            assertThat(done.failed()).isEmpty();
        }
    }

    @Test
    void jobsTheStoreHasDroppedCountAsForgottenAndDone() throws Exception {
        try (Sluice sluice = engine().store(GraphTesting.memory(0))
                .handler("t", String.class, (p, ctx) -> null)
                .build().start()) {
            GraphHandle graph = sluice.submit(JobGraph.builder()
                    .job("a", job("t", null)).job("b", job("t", null)).dependsOn("b", "a").build());

            await().atMost(PATIENCE).until(() -> sluice.graphStatus(graph).isFinished());
            GraphStatus status = sluice.graphStatus(graph);
            assertThat(status.forgotten()).isEqualTo(2);
            assertThat(status.percentDone()).isEqualTo(100.0);
            assertThat(status.toString()).endsWith("2 forgotten");
        }
    }

    @Test
    void aHandleMadeFromKeptIdsReadsTheSameStatus() throws Exception {
        try (Sluice sluice = engine().handler("t", String.class, (p, ctx) -> null).build().start()) {
            GraphHandle graph = sluice.submit(JobGraph.builder().job("only", job("t", null)).build());
            JobId id = graph.id("only");
            sluice.await(id, PATIENCE);

            GraphStatus again = sluice.graphStatus(GraphHandle.of(Map.of("only", id)));

            assertThat(again.count(JobState.SUCCEEDED)).isEqualTo(1);
        }
    }
}
