package dev.sluice.graph;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Building a graph: what is accepted, what is refused before anything could be stored, and in which order. */
class JobGraphTest {

    private static JobRequest job(String type) {
        return JobRequest.of(type, null);
    }

    @Test
    void keysComeInTopologicalOrder() {
        JobGraph graph = JobGraph.builder()
                .job("load", job("load"))
                .job("extract", job("extract"))
                .job("clean-b", job("clean"))
                .job("clean-a", job("clean"))
                .dependsOn("load", "clean-a", "clean-b")
                .fanOut("extract", List.of("clean-a", "clean-b"))
                .build();

        assertThat(graph.keys()).containsExactly("extract", "clean-a", "clean-b", "load");
        assertThat(graph.size()).isEqualTo(4);
        assertThat(graph.childrenOf("extract")).containsExactly("clean-a", "clean-b");
        assertThat(graph.parentsOf("load")).extracting(JobGraph.Edge::parentKey).containsExactly("clean-a", "clean-b");
        assertThat(graph.request("load").type()).isEqualTo("load");
    }

    @Test
    void edgesTakeTheGraphsPolicyUnlessTheyHaveTheirOwn() {
        JobId earlier = JobId.next();
        JobGraph graph = JobGraph.builder()
                .failurePolicy(FailurePolicy.RUN_DEPENDENTS)
                .job("a", job("t"))
                .job("b", job("t"))
                .job("c", job("t"))
                .dependsOn("c", "a")
                .dependsOn("c", FailurePolicy.IGNORE, "b")
                .dependsOnJob("c", earlier, FailurePolicy.CANCEL_DEPENDENTS)
                .dependsOnJob("b", earlier)
                .build();

        assertThat(graph.parentsOf("c")).containsExactly(
                new JobGraph.Edge("a", null, FailurePolicy.RUN_DEPENDENTS),
                new JobGraph.Edge("b", null, FailurePolicy.IGNORE),
                new JobGraph.Edge(null, earlier, FailurePolicy.CANCEL_DEPENDENTS));
        assertThat(graph.parentsOf("b")).containsExactly(new JobGraph.Edge(null, earlier, FailurePolicy.RUN_DEPENDENTS));
        assertThat(graph.parentsOf("b").get(0).external()).isTrue();
    }

    @Test
    void theDefaultPolicyCancelsDependents() {
        JobGraph graph = JobGraph.builder().job("a", job("t")).job("b", job("t")).dependsOn("b", "a").build();

        assertThat(graph.parentsOf("b").get(0).onFailure()).isEqualTo(FailurePolicy.CANCEL_DEPENDENTS);
    }

    @Test
    void aCycleIsRefusedNamingTheJobsOnIt() {
        JobGraph.Builder builder = JobGraph.builder()
                .job("start", job("t"))
                .job("a", job("t"))
                .job("b", job("t"))
                .job("c", job("t"))
                .job("end", job("t"))
                .dependsOn("a", "start")
                .dependsOn("b", "a")
                .dependsOn("c", "b")
                .dependsOn("a", "c")
                .dependsOn("end", "c");

        assertThatThrownBy(builder::build)
                .isInstanceOf(GraphCycleException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cycle: a -> b -> c -> a")
                .extracting(e -> ((GraphCycleException) e).cycle())
                .isEqualTo(List.of("a", "b", "c"));
    }

    @Test
    void aTwoJobCycleIsNamedToo() {
        JobGraph.Builder builder = JobGraph.builder()
                .job("x", job("t")).job("y", job("t"))
                .dependsOn("x", "y").dependsOn("y", "x");

        assertThatThrownBy(builder::build).hasMessage("cycle: x -> y -> x");
    }

    @Test
    void aLongCycleIsShortenedInTheMessageOnly() {
        JobGraph.Builder builder = JobGraph.builder();
        for (int i = 0; i < 50; i++) {
            builder.job("n" + i, job("t"));
        }
        for (int i = 0; i < 50; i++) {
            builder.dependsOn("n" + ((i + 1) % 50), "n" + i);
        }

        assertThatThrownBy(builder::build)
                .hasMessageStartingWith("cycle of 50 jobs: n0 -> n1 -> ")
                .hasMessageEndingWith("n19 -> ... -> n0")
                .extracting(e -> ((GraphCycleException) e).cycle())
                .asList().hasSize(50);
    }

    @Test
    void anEdgeToAKeyTheGraphDoesNotHaveIsRefused() {
        JobGraph.Builder builder = JobGraph.builder().job("load", job("load")).dependsOn("load", "extrct");

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'extrct' -> 'load'")
                .hasMessageContaining("names job 'extrct', which the graph does not have");
    }

    @Test
    void anEdgeFromAnUnknownChildIsRefused() {
        JobGraph.Builder builder = JobGraph.builder().job("a", job("t")).fanOut("a", List.of("ghost"));

        assertThatThrownBy(builder::build).hasMessageContaining("names job 'ghost'");
    }

    @Test
    void badKeysAndEdgesAreRefusedWhenGiven() {
        JobGraph.Builder builder = JobGraph.builder().job("a", job("t"));

        assertThatThrownBy(() -> builder.job("a", job("t"))).hasMessage("the graph has a job with key 'a' already");
        assertThatThrownBy(() -> builder.job(" ", job("t"))).hasMessageContaining("must not be null or blank");
        assertThatThrownBy(() -> builder.job("x\ny", job("t"))).hasMessageContaining("control characters");
        assertThatThrownBy(() -> builder.job("k".repeat(201), job("t"))).hasMessageContaining("at most 200");
        assertThatThrownBy(() -> builder.job("b", null)).hasMessageContaining("request of job 'b'");
        assertThatThrownBy(() -> builder.dependsOn("a", "a")).hasMessage("job 'a' cannot depend on itself");
    }

    @Test
    void aRepeatedEdgeIsRefused() {
        JobId earlier = JobId.next();
        JobGraph.Builder twice = JobGraph.builder().job("a", job("t")).job("b", job("t"))
                .dependsOn("b", "a").dependsOn("b", FailurePolicy.IGNORE, "a");
        JobGraph.Builder twiceExternal = JobGraph.builder().job("a", job("t"))
                .dependsOnJob("a", earlier).dependsOnJob("a", earlier);

        JobGraph distinct = JobGraph.builder().job("a", job("t")).job("b", job("t")).dependsOn("b", "a")
                .dependsOnJob("b", earlier).dependsOnJob("b", JobId.next()).build();

        assertThat(distinct.parentsOf("b")).hasSize(3);
        assertThatThrownBy(twice::build).hasMessage("edge 'a' -> 'b' is declared twice");
        assertThatThrownBy(twiceExternal::build).hasMessage("edge job " + earlier + " -> 'a' is declared twice");
    }

    @Test
    void anEmptyGraphIsRefused() {
        assertThatThrownBy(() -> JobGraph.builder().build()).hasMessageContaining("at least one job");
    }

    @Test
    void theSizeLimitIsOneHundredThousandJobsByDefault() {
        JobGraph.Builder builder = JobGraph.builder();
        for (int i = 0; i < JobGraph.DEFAULT_MAX_NODES; i++) {
            builder.job("n" + i, job("t"));
        }

        assertThatThrownBy(() -> builder.job("one-more", job("t")))
                .hasMessageContaining("maxNodes = 100000")
                .hasMessageContaining("'one-more'");
        assertThat(builder.build().size()).isEqualTo(100_000);
    }

    @Test
    void theSizeLimitIsSetOnTheBuilder() {
        JobGraph.Builder builder = JobGraph.builder().maxNodes(2).job("a", job("t")).job("b", job("t"));

        assertThatThrownBy(() -> builder.job("c", job("t"))).hasMessageContaining("maxNodes = 2");
        assertThatThrownBy(() -> JobGraph.builder().maxNodes(0)).hasMessage("maxNodes must be >= 1 but was 0");
    }

    @Test
    void aGroupsCallbackWaitsForEveryMemberWhateverTheirEnd() {
        List<JobRequest> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(job("import"));
        }

        JobGraph group = JobGraph.group(members, job("report"));

        assertThat(group.keys()).containsExactly("member-0", "member-1", "member-2", JobGraph.GROUP_CALLBACK);
        assertThat(group.parentsOf(JobGraph.GROUP_CALLBACK))
                .extracting(JobGraph.Edge::parentKey, JobGraph.Edge::onFailure)
                .allMatch(edge -> edge.toList().get(1) == FailurePolicy.RUN_DEPENDENTS)
                .extracting(edge -> edge.toList().get(0))
                .containsExactly("member-0", "member-1", "member-2");
        assertThatThrownBy(() -> JobGraph.group(List.of(), job("report"))).hasMessageContaining("at least one member");
    }

    @Test
    void aBuilderUsedAgainAfterBuildLeavesTheFirstGraphAlone() {
        JobGraph.Builder builder = JobGraph.builder().job("b", job("t")).job("a", job("t")).dependsOn("b", "a");
        JobGraph first = builder.build();

        JobGraph second = builder.job("c", job("t")).dependsOn("c", "b").build();

        assertThat(first.keys()).containsExactly("a", "b");
        assertThat(first.contains("c")).isFalse();
        assertThat(first.request("b")).isSameAs(second.request("b"));
        assertThat(second.keys()).containsExactly("a", "b", "c");
        assertThat(builder.build().keys()).isEqualTo(second.keys());
    }

    @Test
    void lookingUpAnUnknownKeyNamesIt() {
        JobGraph graph = JobGraph.builder().job("a", job("t")).build();

        assertThatThrownBy(() -> graph.request("b")).hasMessage("the graph has no job with key 'b'");
        assertThat(graph.contains("a")).isTrue();
    }
}
