package dev.sluice.graph;

import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static dev.sluice.graph.GraphTesting.PATIENCE;
import static dev.sluice.graph.GraphTesting.engine;
import static dev.sluice.graph.GraphTesting.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Graphs run on an engine over the in-memory store: order, once-only runs, results passed to dependents. */
@Timeout(120)
class GraphRunTest {

    @Test
    void aDiamondRunsEachJobOnceAfterItsParentsAndPassesResultsDown() throws Exception {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        GraphTesting.CountingStore store = new GraphTesting.CountingStore();
        try (Sluice sluice = engine().store(store).concurrency(4)
                .handler("extract", String.class, (file, ctx) -> {
                    runs.computeIfAbsent(file, k -> new AtomicInteger()).incrementAndGet();
                    return "rows of " + file;
                })
                .handler("clean", String.class, (region, ctx) -> {
                    runs.computeIfAbsent(region, k -> new AtomicInteger()).incrementAndGet();
                    return ctx.parentResult("extract", String.class).orElseThrow() + " cleaned for " + region;
                })
                .handler("load", String.class, (target, ctx) -> {
                    runs.computeIfAbsent(target, k -> new AtomicInteger()).incrementAndGet();
                    return ctx.parents().stream().map(p -> p.result(String.class).orElseThrow())
                            .collect(Collectors.joining(" + "));
                })
                .build().start()) {
            JobGraph diamond = JobGraph.builder()
                    .job("extract", job("extract", "day.csv"))
                    .job("clean-eu", job("clean", "eu"))
                    .job("clean-us", job("clean", "us"))
                    .job("load", job("load", "warehouse"))
                    .fanOut("extract", List.of("clean-eu", "clean-us"))
                    .dependsOn("load", "clean-eu", "clean-us")
                    .build();

            GraphHandle handle = sluice.submit(diamond);
            JobInfo load = sluice.await(handle.id("load"), PATIENCE);

            assertThat(load.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(load.result(String.class)).contains(
                    "rows of day.csv cleaned for eu + rows of day.csv cleaned for us");
            assertThat(runs).hasSize(4).allSatisfy((name, count) -> assertThat(count.get()).isEqualTo(1));
            assertThat(store.enqueueSizes).containsExactly(4);
            assertThat(handle.ids().keySet()).containsExactly("extract", "clean-eu", "clean-us", "load");
            assertThat(sluice.graphStatus(handle).succeeded()).isTrue();
        }
    }

    @Test
    void aWideFanOutAndFanInOfTenThousandChildrenRunsEachOnceBeforeTheSink() throws Exception {
        int width = 10_000;
        AtomicInteger childRuns = new AtomicInteger();
        AtomicInteger childRunsSeenBySink = new AtomicInteger(-1);
        try (Sluice sluice = engine().concurrency(4).claimAhead(256)
                .handler("root", String.class, (p, ctx) -> null)
                .handler("child", String.class, (p, ctx) -> {
                    childRuns.incrementAndGet();
                    return null;
                })
                .handler("sink", String.class, (p, ctx) -> {
                    childRunsSeenBySink.set(childRuns.get());
                    return null;
                })
                .build().start()) {
            JobGraph.Builder builder = JobGraph.builder().job("root", job("root", null)).job("sink", job("sink", null));
            List<String> children = new ArrayList<>(width);
            for (int i = 0; i < width; i++) {
                builder.job("child-" + i, job("child", null));
                children.add("child-" + i);
            }
            JobGraph graph = builder.fanOut("root", children).dependsOnAll("sink", children).build();

            GraphHandle handle = sluice.submit(graph);

            assertThat(sluice.await(handle.id("sink"), PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(childRuns.get()).isEqualTo(width);
            assertThat(childRunsSeenBySink.get()).isEqualTo(width);
            GraphStatus status = sluice.graphStatus(handle);
            assertThat(status.isFinished()).isTrue();
            assertThat(status.succeeded()).isTrue();
            assertThat(status.total()).isEqualTo(width + 2);
        }
    }

    @Test
    void aChainOfAThousandRunsInOrder() throws Exception {
        int length = 1000;
        List<Integer> order = new CopyOnWriteArrayList<>();
        try (Sluice sluice = engine().concurrency(4)
                .handler("step", Integer.class, (n, ctx) -> {
                    order.add(n);
                    return n;
                })
                .build().start()) {
            JobGraph.Builder builder = JobGraph.builder();
            for (int i = 0; i < length; i++) {
                builder.job("step-" + i, job("step", i));
                if (i > 0) {
                    builder.dependsOn("step-" + i, "step-" + (i - 1));
                }
            }

            GraphHandle handle = sluice.submit(builder.build());

            assertThat(sluice.await(handle.id("step-" + (length - 1)), PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                expected.add(i);
            }
            assertThat(order).isEqualTo(expected);
        }
    }

    @Test
    void jobsThatDoNotAskForTheirParentsCostNoStoreCall() throws Exception {
        GraphTesting.CountingStore store = new GraphTesting.CountingStore();
        try (Sluice sluice = engine().store(store)
                .handler("quiet", String.class, (p, ctx) -> p)
                .handler("asks", String.class, (p, ctx) -> String.valueOf(ctx.parents().size() + ctx.parents().size()))
                .build().start()) {
            JobId plain = sluice.submit(job("quiet", "x"));
            GraphHandle graph = sluice.submit(JobGraph.builder()
                    .job("a", job("quiet", "a"))
                    .job("b", job("quiet", "b"))
                    .job("c", job("asks", "c"))
                    .dependsOn("b", "a").dependsOn("c", "a")
                    .build());

            sluice.await(plain, PATIENCE);
            sluice.await(graph.id("b"), PATIENCE);
            JobInfo c = sluice.await(graph.id("c"), PATIENCE);

            assertThat(c.result(String.class)).contains("2");
            assertThat(store.parentsOfCalls.get()).as("one read, by c, kept for its second call").isEqualTo(1);
        }
    }

    @Test
    void parentResultByIdOrTypeNamesWhatIsWrong() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        try (Sluice sluice = engine()
                .handler("part", String.class, (p, ctx) -> p)
                .handler("join", String.class, (p, ctx) -> {
                    JobId first = ctx.parents().get(0).id();
                    String byId = ctx.parentResult(first, String.class).orElseThrow();
                    try {
                        ctx.parentResult("part", String.class);
                    } catch (IllegalArgumentException e) {
                        errors.add(e.getMessage());
                    }
                    try {
                        ctx.parentResult(JobId.next(), String.class);
                    } catch (IllegalArgumentException e) {
                        errors.add(e.getMessage());
                    }
                    return byId;
                })
                .build().start()) {
            GraphHandle graph = sluice.submit(JobGraph.builder()
                    .job("p1", job("part", "one")).job("p2", job("part", "two")).job("j", job("join", null))
                    .dependsOn("j", "p1", "p2").build());

            assertThat(sluice.await(graph.id("j"), PATIENCE).result(String.class)).contains("one");
            assertThat(errors).hasSize(2);
            assertThat(errors.get(0)).contains("has 2 parents of type 'part'").contains(graph.id("p1").toString());
            assertThat(errors.get(1)).contains("is not a parent of job " + graph.id("j"));
        }
    }

    @Test
    void aJobOutsideAGraphHasNoParents() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        try (Sluice sluice = engine()
                .handler("alone", String.class, (p, ctx) -> {
                    seen.add(ctx.parents().size());
                    assertThatThrownBy(() -> ctx.parentResult("x", String.class)).hasMessageContaining("has 0 parents");
                    return null;
                })
                .build().start()) {
            sluice.await(sluice.submit(job("alone", null)), PATIENCE);

            assertThat(seen).containsExactly(0);
        }
    }
}
