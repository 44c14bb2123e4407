package dev.sluice.examples.market;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.examples.support.Terminal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MarketDataExampleTest {

    private static final int LIMIT = 4;
    private static final long PERIOD_MS = 200;

    private static final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private static MarketDataExample.Result result;

    /** One run serves every test: each looks at another side of its report. */
    @BeforeAll
    static void runTheExampleOnSmallInput() throws InterruptedException {
        Terminal terminal = new Terminal(new PrintStream(output, true, StandardCharsets.UTF_8), false);
        result = MarketDataExample.run(new String[] {"--assets=1000", "--index-symbols=250", "--history-days=5",
                "--latency-ms=10", "--failure-rate=0.2", "--rate-limit=" + LIMIT, "--rate-period-ms=" + PERIOD_MS,
                "--seed=7"}, Map.of(), terminal);
    }

    @Test
    void everyJobPrintsItsCompletionMessageAndEveryPriceIsLoaded() {
        assertThat(result.exitCode()).isZero();
        assertThat(result.completions()).containsOnlyKeys("market-data", "index-data", "historical-data");
        assertCompletion(result.completions().get("market-data"), 10, "totalAssets", 1_000);
        assertCompletion(result.completions().get("index-data"), 3, "totalSymbols", 250);
        assertCompletion(result.completions().get("historical-data"), 20, "totalAssets", 1_000);
        assertThat(result.latestPrices()).isEqualTo(1_000 + 250);
        assertThat(result.dailyPrices()).isEqualTo(1_000 * 5);
        assertThat(result.dailySummary()).contains("3 of 3 data jobs succeeded");
        assertThat(text()).contains("market-data completed: {\"status\":\"SUCCEEDED\",\"totalBatches\":10,"
                + "\"totalAssets\":1000,\"processingTimeMs\":", "index-data completed: {",
                "historical-data completed: {");
    }

    @Test
    void failedCallsAreRetriedUntilEveryBatchIsIn() {
        // This seed fails some calls (the same ones on every run); each batch succeeds exactly once.
        int successfulCalls = 10 + 3 + 20;
        assertThat(result.apiFailures()).isPositive();
        assertThat(result.apiCalls()).isEqualTo(successfulCalls + result.apiFailures());
    }

    @Test
    void historicalBatchesStartNoFasterThanTheRateLimit() {
        List<Long> starts = result.historicalStartNanos();
        assertThat(starts).hasSizeGreaterThanOrEqualTo(20);
        // Windows are fixed, so any span of one period overlaps at most two windows: at most 2 x LIMIT starts.
        // Without the limit, 4 workers start all 20 batches within a few periods' worth of 10 ms calls.
        assertThat(mostStartsWithinOnePeriod(starts)).isLessThanOrEqualTo(2 * LIMIT);
        // 20 or more starts need at least 5 windows, so the first and the last are 3 whole windows apart (2 here,
        // for the time between a start's permit and its handler's first line).
        assertThat(starts.get(starts.size() - 1) - starts.get(0)).isGreaterThanOrEqualTo(2 * PERIOD_MS * 1_000_000);
    }

    private static void assertCompletion(JsonNode message, int batches, String countField, int count) {
        assertThat(message.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(message.get("totalBatches").asInt()).isEqualTo(batches);
        assertThat(message.get(countField).asInt()).isEqualTo(count);
        assertThat(message.get("processingTimeMs").asLong()).isNotNegative();
        assertThat(message.size()).isEqualTo(4);
    }

    private static int mostStartsWithinOnePeriod(List<Long> starts) {
        int most = 0;
        int from = 0;
        for (int to = 0; to < starts.size(); to++) {
            while (starts.get(to) - starts.get(from) >= PERIOD_MS * 1_000_000) {
                from++;
            }
            most = Math.max(most, to - from + 1);
        }
        return most;
    }

    private static String text() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
