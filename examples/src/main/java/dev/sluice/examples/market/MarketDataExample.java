package dev.sluice.examples.market;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.JobContext;
import dev.sluice.JobHandler;
import dev.sluice.JobInfo;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.NonRetryableException;
import dev.sluice.QueueConfig;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import dev.sluice.batch.BatchConfig;
import dev.sluice.batch.BatchProcessor;
import dev.sluice.batch.BatchReport;
import dev.sluice.batch.RecordSource;
import dev.sluice.examples.support.ExampleMain;
import dev.sluice.examples.support.ExampleOptions;
import dev.sluice.examples.support.ExampleStore;
import dev.sluice.examples.support.Terminal;
import dev.sluice.graph.FailurePolicy;
import dev.sluice.graph.GraphHandle;
import dev.sluice.graph.GraphPlan;
import dev.sluice.graph.GroupSummary;
import dev.sluice.graph.JobGraph;
import dev.sluice.resilience.RateLimit;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Market data: three jobs load prices from a vendor's API that is slow and answers 503 now and then. Market data
 * fetches today's price of every asset, 100 per call; index data the level of every index, 100 per call; historical
 * data the daily closes of every asset, 50 per call, under the vendor's rate limit of 30 calls per second. They are
 * wired as one dependency graph: market and index data run in parallel, the historical batches start once market
 * data is in, and a daily summary runs when all three have ended, whatever their end.
 *
 * <pre>
 * market-data                               -> historical-0 .. historical-N  (queue 'historical': 30 starts a second)
 * historical-0 .. historical-N              -> historical-data               (fan-in: the historical completion)
 * market-data, index-data, historical-data  -> daily-summary                 (a group: runs whatever their end)
 * </pre>
 *
 * <p>Market and index data run the batch processor inside their job (batches retried with backoff); the rate limit
 * counts job starts, so the historical data is one job per batch on a queue with {@code queueRateLimit}, its
 * failed calls retried by the job's retry policy. Each of the three prints its completion message as JSON:
 * {@code {"status":"SUCCEEDED","totalBatches":30,"totalAssets":3000,"processingTimeMs":412}} ({@code totalSymbols}
 * for index data). Exit code 1 when one of them did not succeed, 64 for a bad option.
 *
 * <pre>
 * ./mvnw -q -pl examples -am test-compile exec:java -Dexample=dev.sluice.examples.market.MarketDataExample
 * ./mvnw ... -Dexec.args="--assets=10000 --failure-rate=0.2 --store=postgres"
 * </pre>
 */
public final class MarketDataExample {

    static final String MARKET_DATA = "market-data";
    static final String INDEX_DATA = "index-data";
    static final String HISTORICAL_BATCH = "historical-batch";
    static final String HISTORICAL_DATA = "historical-data";
    static final String DAILY_SUMMARY = "daily-summary";
    static final String HISTORICAL_QUEUE = "historical";
    static final int MARKET_BATCH_SIZE = 100;
    static final int INDEX_BATCH_SIZE = 100;
    static final int HISTORICAL_BATCH_SIZE = 50;
    static final Set<String> OPTIONS = options();

    /** The payload of market and index data: symbols {@code prefix00001} to {@code prefix<size>}. */
    public record Universe(String prefix, int size) {
        List<String> symbols() {
            List<String> symbols = new ArrayList<>(size);
            for (int i = 1; i <= size; i++) {
                symbols.add(String.format(Locale.ROOT, "%s%05d", prefix, i));
            }
            return symbols;
        }
    }

    /** The payload of one historical batch: its symbols and how many days back. */
    public record HistoryBatch(int batch, List<String> symbols, int days) {
    }

    /**
     * What the run did.
     *
     * @param exitCode             0 when the three data jobs succeeded, else 1
     * @param completions          the completion messages by job key (market-data, index-data, historical-data)
     * @param dailySummary         the line the daily summary printed, or null when it did not succeed
     * @param historicalStartNanos when each historical batch attempt started (System.nanoTime), in order
     * @param apiCalls             calls made to the API, failed ones included
     * @param apiFailures          calls that answered 503
     * @param latestPrices         symbols with today's price in the price book
     * @param dailyPrices          daily closing prices in the price book
     */
    public record Result(int exitCode, Map<String, JsonNode> completions, String dailySummary,
                         List<Long> historicalStartNanos, long apiCalls, long apiFailures, int latestPrices,
                         int dailyPrices) {
    }

    private MarketDataExample() {
    }

    public static void main(String[] args) throws InterruptedException {
        ExampleMain.exitWith(() -> run(args, System.getenv(), Terminal.system()).exitCode());
    }

    /** Runs the example with these flags over these environment variables, printing to {@code terminal}. */
    public static Result run(String[] args, Map<String, String> environment, Terminal terminal)
            throws InterruptedException {
        ExampleOptions options = ExampleOptions.parse(args, environment, OPTIONS);
        int assets = options.integer("assets", 3_000, 1, 1_000_000);
        int indexSymbols = options.integer("index-symbols", 500, 1, 1_000_000);
        int historyDays = options.integer("history-days", 30, 1, 3_650);
        int concurrency = options.integer("concurrency", 4, 1, 64);
        long latencyMillis = options.whole("latency-ms", 40, 0, 60_000);
        double failureRate = options.decimal("failure-rate", 0.1, 0, 0.9);
        RateLimit limit = RateLimit.of(options.integer("rate-limit", 30, 1, 100_000),
                Duration.ofMillis(options.whole("rate-period-ms", 1_000, 1, 3_600_000)));
        long seed = options.whole("seed", 20_260_101, Long.MIN_VALUE, Long.MAX_VALUE);

        SimulatedMarketApi api = new SimulatedMarketApi(seed, latencyMillis, failureRate,
                LocalDate.now(ZoneOffset.UTC));
        PriceBook book = new PriceBook();
        ConcurrentLinkedQueue<Long> historicalStarts = new ConcurrentLinkedQueue<>();
        RetryPolicy historyRetries = RetryPolicy.builder().maxAttempts(6).initialInterval(Duration.ofMillis(50))
                .maxInterval(Duration.ofSeconds(1)).build();

        try (ExampleStore store = ExampleStore.open(options, Duration.ofSeconds(60), 100_000, concurrency + 4);
             Sluice sluice = Sluice.builder()
                     .store(store.store())
                     .concurrency(4 + concurrency)
                     .queue(QueueConfig.of("default", 4))
                     .queue(QueueConfig.of(HISTORICAL_QUEUE, concurrency))
                     .queueRateLimit(HISTORICAL_QUEUE, limit)
                     .handler(MARKET_DATA, Universe.class,
                             latestPrices("quotes", MARKET_BATCH_SIZE, "totalAssets", concurrency, api, book, terminal))
                     .handler(INDEX_DATA, Universe.class,
                             latestPrices("index-levels", INDEX_BATCH_SIZE, "totalSymbols", concurrency, api, book,
                                     terminal))
                     .handler(HISTORICAL_BATCH, HistoryBatch.class, (batch, context) -> {
                         historicalStarts.add(System.nanoTime());
                         book.putHistory(api.history(batch.symbols(), batch.days()));
                         return batch.symbols().size();
                     }, historyRetries, null)
                     .handler(HISTORICAL_DATA, Integer.class, (batches, context) -> historicalData(batches, context,
                             terminal))
                     .handler(DAILY_SUMMARY, String.class, (day, context) -> dailySummary(day, context, book,
                             terminal))
                     .build()
                     .start()) {

            JobGraph graph = graph(assets, indexSymbols, historyDays);
            terminal.line(String.format(Locale.ROOT, "Market data on the %s store: %,d assets, %,d indices, %d days"
                            + " of history; API latency ~%d ms, %.0f%% of calls fail; historical calls limited to %d"
                            + " per %d ms", store.description(), assets, indexSymbols, historyDays, latencyMillis,
                    failureRate * 100, limit.starts(), limit.period().toMillis()));
            GraphPlan plan = graph.plan();
            terminal.line(String.format(Locale.ROOT, "graph: %d jobs in %d levels, at most %d at once: market-data and"
                            + " index-data, then %d historical batches, then historical-data, then daily-summary",
                    graph.size(), plan.levels().size(), plan.widestLevel(), historicalBatches(assets)));

            GraphHandle handle = sluice.submit(graph);
            JobInfo summary = sluice.await(handle.id(DAILY_SUMMARY), Duration.ofMinutes(30));

            Map<String, JsonNode> completions = new LinkedHashMap<>();
            int exitCode = 0;
            for (String key : List.of(MARKET_DATA, INDEX_DATA, HISTORICAL_DATA)) {
                JobInfo job = sluice.find(handle.id(key)).orElseThrow();
                job.result(String.class).ifPresent(json -> completions.put(key, CompletionMessage.parse(json)));
                if (job.state() != JobState.SUCCEEDED) {
                    exitCode = 1;
                    terminal.line(key + " ended " + job.state() + ": " + job.lastError().orElse(""));
                }
            }
            List<Long> starts = new ArrayList<>(historicalStarts);
            starts.sort(null);
            terminal.line(String.format(Locale.ROOT, "historical batches: %,d jobs, %,d starts over %,d ms under the"
                            + " limit of %d starts per %d ms", historicalBatches(assets), starts.size(),
                    starts.isEmpty() ? 0 : (starts.get(starts.size() - 1) - starts.get(0)) / 1_000_000,
                    limit.starts(), limit.period().toMillis()));
            terminal.line(String.format(Locale.ROOT, "market API: %,d calls, %,d answered 503 and were retried",
                    api.calls(), api.failures()));
            return new Result(exitCode, completions, summary.result(String.class).orElse(null), starts,
                    api.calls(), api.failures(), book.latestPrices(), book.dailyPrices());
        }
    }

    /**
     * Market and index data, historical batches after market data, the summary after all three. Edges into the
     * fan-in and the summary run their job whatever the parents' end, so a failure is reported, not hidden.
     */
    static JobGraph graph(int assets, int indexSymbols, int historyDays) {
        Universe market = new Universe("EQ", assets);
        JobGraph.Builder graph = JobGraph.builder()
                .job(MARKET_DATA, JobRequest.of(MARKET_DATA, market))
                .job(INDEX_DATA, JobRequest.of(INDEX_DATA, new Universe("IDX", indexSymbols)))
                .job(DAILY_SUMMARY, JobRequest.of(DAILY_SUMMARY, LocalDate.now(ZoneOffset.UTC).toString()));
        List<String> symbols = market.symbols();
        List<String> batchKeys = new ArrayList<>();
        for (int from = 0, batch = 0; from < symbols.size(); from += HISTORICAL_BATCH_SIZE, batch++) {
            List<String> slice = symbols.subList(from, Math.min(symbols.size(), from + HISTORICAL_BATCH_SIZE));
            String key = "historical-" + batch;
            graph.job(key, JobRequest.builder(HISTORICAL_BATCH).queue(HISTORICAL_QUEUE)
                    .payload(new HistoryBatch(batch, List.copyOf(slice), historyDays)).build());
            batchKeys.add(key);
        }
        return graph.job(HISTORICAL_DATA, JobRequest.of(HISTORICAL_DATA, batchKeys.size()))
                .fanOut(MARKET_DATA, batchKeys)
                .dependsOn(HISTORICAL_DATA, FailurePolicy.RUN_DEPENDENTS, batchKeys.toArray(String[]::new))
                .dependsOn(DAILY_SUMMARY, FailurePolicy.RUN_DEPENDENTS, MARKET_DATA, INDEX_DATA, HISTORICAL_DATA)
                .build();
    }

    static int historicalBatches(int assets) {
        return (assets + HISTORICAL_BATCH_SIZE - 1) / HISTORICAL_BATCH_SIZE;
    }

    /**
     * A job that fetches today's price of every symbol of its universe from {@code endpoint}, {@code batchSize}
     * symbols per call, through the batch processor: a batch whose call fails is retried with backoff.
     */
    private static JobHandler<Universe> latestPrices(String endpoint, int batchSize, String countField,
                                                     int concurrency, SimulatedMarketApi api, PriceBook book,
                                                     Terminal terminal) {
        BatchProcessor processor = BatchProcessor.of(BatchConfig.builder()
                .batchSize(batchSize)
                .concurrency(concurrency)
                .maxRetriesPerBatch(5)
                .retryBackoff(Duration.ofMillis(50), Duration.ofSeconds(1), 0.5)
                // Prices are all or nothing: one batch that fails after its retries fails the job.
                .failureThresholdPercent(0)
                .failureThresholdMinRecords(0)
                .build());
        return (universe, context) -> {
            BatchReport report = processor.run(RecordSource.fromList(universe.symbols()), (symbols, attempt) -> {
                book.putLatest(api.latest(endpoint, symbols));
                return List.of();
            });
            String message = new CompletionMessage(report.status().name(), report.totalBatches(), countField,
                    report.totalRecords(), report.processingTimeMs()).toJson();
            terminal.line(context.jobType() + " completed: " + message);
            if (report.status() != BatchReport.Status.SUCCEEDED) {
                throw new NonRetryableException(context.jobType() + " ended " + report.status() + ": " + message);
            }
            return message;
        };
    }

    /**
     * The historical batches' fan-in: their results, read through the graph, make the historical completion
     * message. It succeeds when all {@code expected} batches did.
     */
    private static String historicalData(int expected, JobContext context, Terminal terminal) {
        int succeeded = 0;
        long assets = 0;
        Instant firstStart = null;
        Instant lastEnd = null;
        List<JobInfo> batches = context.parents();
        for (JobInfo batch : batches) {
            if (batch.state() == JobState.SUCCEEDED) {
                succeeded++;
                assets += batch.result(Integer.class).orElse(0);
            }
            Instant started = batch.startedAt().orElse(null);
            Instant ended = batch.finishedAt().orElse(null);
            firstStart = started != null && (firstStart == null || started.isBefore(firstStart)) ? started : firstStart;
            lastEnd = ended != null && (lastEnd == null || ended.isAfter(lastEnd)) ? ended : lastEnd;
        }
        String status = succeeded == expected ? "SUCCEEDED" : "FAILED";
        long millis = firstStart == null || lastEnd == null ? 0 : Duration.between(firstStart, lastEnd).toMillis();
        String message = new CompletionMessage(status, succeeded, "totalAssets", assets, millis).toJson();
        terminal.line(context.jobType() + " completed: " + message);
        if (!status.equals("SUCCEEDED")) {
            throw new NonRetryableException((expected - succeeded) + " of " + expected
                    + " historical batches did not succeed: " + message);
        }
        return message;
    }

    /** The group's end: how the three data jobs ended (a {@link GroupSummary} of its parents) and what was loaded. */
    private static String dailySummary(String day, JobContext context, PriceBook book, Terminal terminal) {
        GroupSummary summary = GroupSummary.of(context);
        String line = String.format(Locale.ROOT, "daily summary %s: %d of %d data jobs succeeded (%d failed, %d"
                        + " cancelled) in %,d ms; price book: %,d latest prices, %,d daily closes", day,
                summary.succeeded(), summary.total(), summary.failed(), summary.cancelled(),
                summary.duration().toMillis(), book.latestPrices(), book.dailyPrices());
        terminal.line(line);
        return line;
    }

    private static Set<String> options() {
        Set<String> names = new HashSet<>(ExampleStore.OPTIONS);
        names.addAll(List.of("assets", "index-symbols", "history-days", "concurrency", "latency-ms", "failure-rate",
                "rate-limit", "rate-period-ms", "seed"));
        return Set.copyOf(names);
    }
}
