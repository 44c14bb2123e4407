package dev.sluice.examples.documents;

import dev.sluice.examples.documents.DocumentPipelineExample.Run;
import dev.sluice.examples.support.Terminal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DocumentPipelineExampleTest {

    private static final int DOCUMENTS = 12;

    private static final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private static DocumentPipelineExample.Result result;

    /** One run serves every test: each looks at another side of its report. */
    @BeforeAll
    static void runTheExampleOnSmallInput() throws InterruptedException {
        Terminal terminal = new Terminal(new PrintStream(output, true, StandardCharsets.UTF_8), false);
        result = DocumentPipelineExample.run(new String[] {"--documents=" + DOCUMENTS, "--corpus=test-corpus",
                "--download-latency-ms=10", "--summarize-latency-ms=20", "--failure-rate=0.1", "--outage-after=4",
                "--outage-ms=300", "--seed=7"}, Map.of(), terminal);
    }

    @Test
    void everyDocumentIsSummarizedInBothRunsFromItsExtractedText() {
        assertThat(result.exitCode()).isZero();
        assertThat(result.first().summaries()).hasSize(DOCUMENTS);
        assertThat(result.second().summaries()).isEqualTo(result.first().summaries());
        // The summary is made from the extraction, which is made from the download: the parents' results arrived.
        Summary summary = result.first().summaries().get(2);
        assertThat(summary.title()).startsWith("Report 3: ");
        assertThat(summary.sourceWords()).isPositive();
        assertThat(summary.keywords()).hasSize(5);
    }

    @Test
    void firstRunCallsEveryStageOncePerDocumentPlusTheSummarizerRetries() {
        Run first = result.first();
        assertThat(first.stages().get("download").calls()).isEqualTo(DOCUMENTS);
        assertThat(first.stages().get("extract").calls()).isEqualTo(DOCUMENTS);
        assertThat(first.stages().get("summarize").failures()).isPositive();
        assertThat(first.stages().get("summarize").calls())
                .isEqualTo(DOCUMENTS + first.stages().get("summarize").failures());
        assertThat(first.cacheHits()).isZero();
    }

    @Test
    void secondRunIsServedFromTheResultCacheWithoutAHandlerCallAndManyTimesFaster() {
        Run second = result.second();
        assertThat(second.handlerCalls()).isZero();
        assertThat(second.cacheHits()).isEqualTo(3 * DOCUMENTS);
        // Loose on purpose: the first run sits out the summarizer's outage (300 ms and more), the second runs nothing.
        assertThat(result.first().millis()).isGreaterThanOrEqualTo(3 * second.millis());
    }

    @Test
    void outageOpensTheBreakerWhoseJobsAreDeferredNotFailed() {
        assertThat(result.breakerTransitions()).startsWith("CLOSED_TO_OPEN");
        assertThat(result.meters().get("sluice.jobs.deferred reason=breaker")).isPositive();
        assertThat(result.meters()).containsKeys("sluice.jobs.completed type=summarize outcome=succeeded",
                "sluice.cache.requests type=summarize result=hit", "sluice.breaker.state type=summarize");
        assertThat(result.meters().get("sluice.cache.requests type=download result=hit")).isEqualTo(DOCUMENTS);
    }

    @Test
    void reportShowsTimingsPerStageAndTheMeters() {
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("run 1:", "average", "p95", "download",
                "extract", "summarize", "faster", "sluice.jobs.completed", "sluice.cache.requests",
                "sluice.jobs.deferred", "sluice.breaker.state", "CLOSED -> OPEN");
    }
}
