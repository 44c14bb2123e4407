package dev.sluice.benchmarks.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResultsPageTest {

    @Test
    void spliceReplacesOnlyTheGeneratedSection() {
        String page = "# Benchmark results\n\n" + ResultsPage.BEGIN + "\nold\n" + ResultsPage.END + "\n\n## Kept\ntext\n";

        String spliced = ResultsPage.splice(page, "new\n");

        assertThat(spliced).contains(ResultsPage.BEGIN + "\nnew\n" + ResultsPage.END).doesNotContain("old")
                .endsWith("## Kept\ntext\n");
    }

    @Test
    void spliceInsertsTheSectionUnderTheTitleWhenItIsMissing() {
        String spliced = ResultsPage.splice("# Benchmark results\n## Kept\n", "new\n");

        assertThat(spliced).startsWith("# Benchmark results\n\n" + ResultsPage.BEGIN).endsWith("## Kept\n");
    }

    @Test
    void jmhRowsAreDividedByTheAlternativeOfTheSameRunAndCarryTheirLoad() throws Exception {
        String json = "[" + result("EngineThroughputBenchmark.sluice", 2_000_000, 2.5) + ","
                + result("EngineThroughputBenchmark.threadPoolExecutor", 8_000_000, 2.5) + "]";

        String table = JmhTable.render(new ObjectMapper().readTree(json));

        assertThat(table).contains("| EngineThroughputBenchmark.sluice | concurrency=2 | 2,000,000 | 1,000 | jobs/s "
                + "| 0.25 | 2.5 |");
    }

    private static String result(String method, double score, double load) {
        return "{\"benchmark\":\"dev.sluice.benchmarks." + method + "\",\"params\":{\"concurrency\":\"2\"},"
                + "\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":1000,\"scoreUnit\":\"ops/s\"},"
                + "\"secondaryMetrics\":{\"load1m\":{\"score\":" + load + "}}}";
    }
}
