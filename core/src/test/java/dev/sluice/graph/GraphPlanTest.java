package dev.sluice.graph;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Levels, the critical path under estimates, and the text and DOT renderings. */
class GraphPlanTest {

    private static JobRequest job(String type) {
        return JobRequest.of(type, null);
    }

    /** extract -> clean-eu, clean-us -> load; extract -> report. */
    private static JobGraph etl() {
        return JobGraph.builder()
                .job("extract", job("extract"))
                .job("clean-eu", job("clean"))
                .job("clean-us", job("clean"))
                .job("report", job("report"))
                .job("load", job("load"))
                .fanOut("extract", List.of("clean-eu", "clean-us"))
                .dependsOn("report", FailurePolicy.RUN_DEPENDENTS, "extract")
                .dependsOn("load", "clean-eu")
                .dependsOn("load", FailurePolicy.IGNORE, "clean-us")
                .build();
    }

    private static DurationEstimates estimates() {
        return DurationEstimates.builder()
                .node("extract", Duration.ofSeconds(2))
                .type("clean", Duration.ofSeconds(5))
                .node("clean-us", Duration.ofSeconds(1))
                .build();
    }

    @Test
    void levelsHoldWhatCanRunAtTheSameTime() {
        GraphPlan plan = etl().plan(estimates());

        assertThat(plan.levels()).containsExactly(
                List.of("extract"), List.of("clean-eu", "clean-us", "report"), List.of("load"));
        assertThat(plan.level("load")).isEqualTo(2);
        assertThat(plan.widestLevel()).isEqualTo(3);
    }

    @Test
    void theCriticalPathIsTheLongestChainByEstimate() {
        GraphPlan plan = etl().plan(estimates());

        assertThat(plan.criticalPath()).containsExactly("extract", "clean-eu", "load");
        assertThat(plan.criticalPathDuration()).isEqualTo(Duration.ofSeconds(8));
        assertThat(plan.totalWork()).isEqualTo(Duration.ofSeconds(10));
        assertThat(plan.earliestStart("load")).isEqualTo(Duration.ofSeconds(7));
        assertThat(plan.estimate("clean-us")).isEqualTo(Duration.ofSeconds(1));
        assertThat(plan.estimate("clean-eu")).isEqualTo(Duration.ofSeconds(5));
        assertThat(plan.onCriticalPath("clean-us")).isFalse();
    }

    @Test
    void longerEstimatesMoveTheCriticalPath() {
        GraphPlan plan = etl().plan(DurationEstimates.builder()
                .type("report", Duration.ofMinutes(10))
                .build());

        assertThat(plan.criticalPath()).containsExactly("extract", "report");
        assertThat(plan.criticalPathDuration()).isEqualTo(Duration.ofMinutes(10).plusSeconds(1));
    }

    @Test
    void withoutEstimatesTheCriticalPathIsTheLongestChain() {
        GraphPlan plan = etl().plan();

        assertThat(plan.criticalPath()).containsExactly("extract", "clean-eu", "load");
        assertThat(plan.criticalPathDuration()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void rendersAsText() {
        assertThat(etl().plan(estimates()).toText()).isEqualTo("""
                plan: 5 jobs in 3 levels, at most 3 at once; critical path 8 s of 10 s of work: extract -> clean-eu -> load
                level 1 (1): extract* (extract, 2 s)
                level 2 (3): clean-eu* (clean, 5 s), clean-us (clean, 1 s), report (report, 1 s)
                level 3 (1): load* (load, 1 s)
                * on the critical path""");
    }

    @Test
    void textShortensWideLevelsAndLongPaths() {
        JobGraph.Builder builder = JobGraph.builder().job("root", job("t"));
        List<String> children = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            builder.job("c" + i, job("t"));
            children.add("c" + i);
        }
        builder.fanOut("root", children);
        for (int i = 0; i < 30; i++) {
            builder.job("chain" + i, job("t")).dependsOn("chain" + i, i == 0 ? "c0" : "chain" + (i - 1));
        }

        String text = builder.build().plan().toText();

        assertThat(text).contains("level 2 (100): c0* (t, 1 s), c1 (t, 1 s)")
                .contains("c11 (t, 1 s), ... and 88 more")
                .contains("root -> c0 -> chain0 -> ")
                .contains("chain9 -> ... 8 more -> chain18 -> ")
                .contains("-> chain29\n");
    }

    @Test
    void rendersAsDot() {
        JobId earlier = JobId.next();
        JobGraph graph = JobGraph.builder()
                .job("a", job("extract"))
                .job("b \"quoted\"", job("load"))
                .dependsOn("b \"quoted\"", FailurePolicy.RUN_DEPENDENTS, "a")
                .dependsOnJob("a", earlier, FailurePolicy.IGNORE)
                .build();

        String dot = graph.plan(DurationEstimates.uniform(Duration.ofMillis(250))).toDot();

        assertThat(dot).startsWith("digraph plan {\n")
                .contains("  \"a\" [label=\"a\\nextract, 250 ms\", color=red, penwidth=2];\n")
                .contains("  \"job " + earlier + "\" [label=\"job " + earlier + "\\n(submitted earlier)\", style=dashed];\n")
                .contains("  \"job " + earlier + "\" -> \"a\" [style=dotted, label=\"ignore failure\"];\n")
                .contains("  \"a\" -> \"b \\\"quoted\\\"\" [style=dashed, label=\"run on failure\", color=red, penwidth=2];\n")
                .endsWith("}\n");
    }

    @Test
    void dotPutsEachLevelOnOneRank() {
        String dot = etl().plan().toDot();

        assertThat(dot).contains("  { rank=same; \"clean-eu\"; \"clean-us\"; \"report\"; }\n")
                .contains("  \"clean-eu\" -> \"load\" [color=red, penwidth=2];\n")
                .contains("  \"clean-us\" -> \"load\" [style=dotted, label=\"ignore failure\"];\n");
    }

    @Test
    void aChainOfAThousandHasAThousandLevels() {
        JobGraph.Builder builder = JobGraph.builder();
        for (int i = 0; i < 1000; i++) {
            builder.job("n" + i, job("t"));
            if (i > 0) {
                builder.dependsOn("n" + i, "n" + (i - 1));
            }
        }
        GraphPlan plan = builder.build().plan(DurationEstimates.uniform(Duration.ofMillis(10)));

        assertThat(plan.levels()).hasSize(1000);
        assertThat(plan.criticalPath()).hasSize(1000);
        assertThat(plan.criticalPathDuration()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void estimatesAreChecked() {
        assertThatThrownBy(() -> DurationEstimates.builder().node("a", Duration.ofSeconds(-1)))
                .hasMessage("estimate of job a must be zero or positive but was PT-1S");
        assertThatThrownBy(() -> etl().plan(DurationEstimates.builder().node("lod", Duration.ZERO).build()))
                .hasMessage("an estimate names job 'lod', which the graph does not have");
    }
}
