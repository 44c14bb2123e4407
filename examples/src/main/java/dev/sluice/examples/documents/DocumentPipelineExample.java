package dev.sluice.examples.documents;

import dev.sluice.JobHandler;
import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobRequest;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import dev.sluice.cache.ResultCacheConfig;
import dev.sluice.examples.support.ExampleMain;
import dev.sluice.examples.support.ExampleOptions;
import dev.sluice.examples.support.ExampleStore;
import dev.sluice.examples.support.Terminal;
import dev.sluice.graph.JobGraph;
import dev.sluice.resilience.BreakerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A document pipeline: each document is downloaded, its text extracted and summarized, as a graph of three jobs per
 * document ({@code download -> extract -> summarize}) whose results flow from parent to child through the graph
 * ({@code context.parentResult}). The summarizer is a flaky service that goes down for a while; a circuit breaker
 * on the summarize job type notices, and while it is open the summarize jobs wait (deferred, keeping their
 * attempts) instead of failing, while downloads and extractions run on. Every stage's results go to the result
 * cache, so the same documents submitted a second time are served from it without running a handler: the example
 * submits them twice and prints both timings, a per-stage timing breakdown and the engine's meters.
 *
 * <pre>
 * ./mvnw -q -pl examples -am test-compile exec:java -Dexample=dev.sluice.examples.documents.DocumentPipelineExample
 * ./mvnw ... -Dexec.args="--documents=200 --outage-ms=2000 --store=redis"
 * </pre>
 *
 * Exit code 1 when a document was not summarized, 64 for a bad option.
 */
public final class DocumentPipelineExample {

    static final String DOWNLOAD = "download";
    static final String EXTRACT = "extract";
    static final String SUMMARIZE = "summarize";
    static final List<String> STAGES = List.of(DOWNLOAD, EXTRACT, SUMMARIZE);
    static final Set<String> OPTIONS = options();

    /**
     * One submission of the documents.
     *
     * @param label      "run 1", "run 2"
     * @param documents  documents submitted
     * @param summaries  the summaries, in document order (a document that failed has none)
     * @param millis     from the first submit to the last summary
     * @param stages     handler calls and their times, by stage
     * @param cacheHits  jobs served from the result cache (level 1 or 2) during the run
     */
    public record Run(String label, int documents, List<Summary> summaries, long millis,
                      Map<String, StageTimes.Stats> stages, long cacheHits) {

        /** Handler calls of every stage together. */
        public int handlerCalls() {
            return stages.values().stream().mapToInt(StageTimes.Stats::calls).sum();
        }
    }

    /**
     * What the example did.
     *
     * @param exitCode           0 when every document was summarized in both runs, else 1
     * @param first              the first submission (cold, unless the store's cache knew the corpus)
     * @param second             the same documents again
     * @param breakerTransitions the summarize breaker's state changes, in order ({@code CLOSED_TO_OPEN}...)
     * @param meters             the meters printed at the end, by name and tags ({@code sluice.jobs.deferred
     *                           reason=breaker})
     */
    public record Result(int exitCode, Run first, Run second, List<String> breakerTransitions,
                         Map<String, Double> meters) {
    }

    private DocumentPipelineExample() {
    }

    public static void main(String[] args) throws InterruptedException {
        ExampleMain.exitWith(() -> run(args, System.getenv(), Terminal.system()).exitCode());
    }

    /** Runs the example with these flags over these environment variables, printing to {@code terminal}. */
    public static Result run(String[] args, Map<String, String> environment, Terminal terminal)
            throws InterruptedException {
        ExampleOptions options = ExampleOptions.parse(args, environment, OPTIONS);
        int documents = options.integer("documents", 40, 1, 100_000);
        String corpus = options.text("corpus", "corpus-" + Long.toString(ThreadLocalRandom.current().nextLong()
                >>> 1, 36));
        if (!corpus.matches("[a-z0-9-]{1,40}")) {
            throw new IllegalArgumentException("--corpus (CORPUS) must match [a-z0-9-]{1,40} but was '" + corpus
                    + "'");
        }
        int concurrency = options.integer("concurrency", 8, 1, 256);
        long downloadMillis = options.whole("download-latency-ms", 40, 0, 60_000);
        long summarizeMillis = options.whole("summarize-latency-ms", 60, 0, 60_000);
        double failureRate = options.decimal("failure-rate", 0.05, 0, 0.5);
        int outageAfter = options.integer("outage-after", 15, 0, 1_000_000);
        long outageMillis = options.whole("outage-ms", 800, 0, 600_000);
        long seed = options.whole("seed", 20_260_101, Long.MIN_VALUE, Long.MAX_VALUE);

        DocumentServer server = new DocumentServer(seed, downloadMillis);
        Summarizer summarizer = new Summarizer(seed, summarizeMillis, failureRate, outageAfter, outageMillis);
        AtomicReference<StageTimes> times = new AtomicReference<>(new StageTimes());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<String> transitions = Collections.synchronizedList(new ArrayList<>());
        // Each stage's result keyed by its payload (the document), kept for every document until the second run.
        ResultCacheConfig cache = ResultCacheConfig.builder()
                .maxEntries(Math.max(100, documents)).timeToLive(Duration.ofMinutes(10)).build();
        BreakerConfig breaker = BreakerConfig.custom()
                .consecutiveFailures(3)                        // three failed summaries in a row open it
                .waitInOpenState(Duration.ofMillis(300))       // then two probes go through
                .halfOpenCalls(2)
                .deferralDelay(Duration.ofMillis(100))         // jobs that find the probes taken come back soon
                .build();
        RetryPolicy retries = RetryPolicy.builder().maxAttempts(8).initialInterval(Duration.ofMillis(50))
                .maxInterval(Duration.ofMillis(400)).build();

        try (ExampleStore store = ExampleStore.open(options, Duration.ofSeconds(60), 100_000, concurrency + 2);
             Sluice sluice = Sluice.builder()
                     .store(store.store())
                     .concurrency(concurrency)
                     .meterRegistry(registry)
                     .jobTypeBreaker(SUMMARIZE, breaker)
                     .resultCache(DOWNLOAD, cache)
                     .resultCache(EXTRACT, cache)
                     .resultCache(SUMMARIZE, cache)
                     .handler(DOWNLOAD, Document.class, timed(times, (document, context) ->
                             server.download(document)), retries, null)
                     .handler(EXTRACT, Document.class, timed(times, (document, context) ->
                             Extraction.of(context.parentResult(DOWNLOAD, String.class).orElseThrow())), retries, null)
                     .handler(SUMMARIZE, Document.class, timed(times, (document, context) ->
                             summarizer.summarize(document, context.parentResult(EXTRACT, Extraction.class)
                                     .orElseThrow())), retries, null)
                     .build()
                     .start()) {
            sluice.jobTypeBreaker(SUMMARIZE).orElseThrow().getEventPublisher().onStateTransition(event -> {
                transitions.add(event.getStateTransition().name());
                terminal.line("  circuit breaker of '" + SUMMARIZE + "': " + event.getStateTransition().getFromState()
                        + " -> " + event.getStateTransition().getToState());
            });
            terminal.line(String.format(Locale.ROOT, "Document pipeline on the %s store: %d documents of corpus '%s',"
                            + " download -> extract -> summarize; the summarizer fails %.0f%% of calls and goes down"
                            + " for %d ms at its call %d", store.description(), documents, corpus, failureRate * 100,
                    outageMillis, outageAfter));

            List<Document> corpusDocuments = new ArrayList<>();
            for (int number = 1; number <= documents; number++) {
                corpusDocuments.add(new Document(corpus, number));
            }
            Run first = submitAndAwait("run 1", sluice, corpusDocuments, times, registry, terminal);
            Run second = submitAndAwait("run 2", sluice, corpusDocuments, times, registry, terminal);

            PipelineReport report = new PipelineReport(terminal, registry);
            report.speedUp(first, second);
            report.stages(first);
            report.stages(second);
            Map<String, Double> meters = report.meters(SUMMARIZE, transitions);
            report.samples(second.summaries());
            int exitCode = first.summaries().size() == documents && second.summaries().size() == documents ? 0 : 1;
            return new Result(exitCode, first, second, List.copyOf(transitions), meters);
        }
    }

    /** Submits one graph per document, waits for every summary, and measures the run. */
    private static Run submitAndAwait(String label, Sluice sluice, List<Document> documents,
                                      AtomicReference<StageTimes> times, SimpleMeterRegistry registry,
                                      Terminal terminal) throws InterruptedException {
        StageTimes stageTimes = new StageTimes();
        times.set(stageTimes);
        double hitsBefore = PipelineReport.cacheHits(registry);
        long start = System.nanoTime();
        List<JobId> summaries = new ArrayList<>();
        for (Document document : documents) {
            JobGraph graph = JobGraph.builder()
                    .job(DOWNLOAD, JobRequest.of(DOWNLOAD, document))
                    .job(EXTRACT, JobRequest.of(EXTRACT, document))
                    .job(SUMMARIZE, JobRequest.of(SUMMARIZE, document))
                    .dependsOn(EXTRACT, DOWNLOAD)
                    .dependsOn(SUMMARIZE, EXTRACT)
                    .build();
            summaries.add(sluice.submit(graph).id(SUMMARIZE));
        }
        List<Summary> done = new ArrayList<>();
        for (int i = 0; i < summaries.size(); i++) {
            JobInfo summary = sluice.await(summaries.get(i), Duration.ofMinutes(10));
            String name = documents.get(i).name();
            summary.result(Summary.class).ifPresentOrElse(done::add, () -> terminal.line("  " + name
                    + " was not summarized: " + summary.state() + " " + summary.lastError().orElse("")));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Map<String, StageTimes.Stats> stages = new LinkedHashMap<>();
        STAGES.forEach(stage -> stages.put(stage, stageTimes.stats(stage)));
        long hits = Math.round(PipelineReport.cacheHits(registry) - hitsBefore);
        terminal.line(String.format(Locale.ROOT, "%s: %d of %d documents summarized in %,d ms; %d handler calls, %d"
                + " jobs served from the result cache", label, done.size(), documents.size(), millis,
                stages.values().stream().mapToInt(StageTimes.Stats::calls).sum(), hits));
        return new Run(label, documents.size(), List.copyOf(done), millis, stages, hits);
    }

    /** The handler, with each call's time recorded for its stage (the job type) in the current run's times. */
    private static <P> JobHandler<P> timed(AtomicReference<StageTimes> times, JobHandler<P> handler) {
        return (payload, context) -> {
            long start = System.nanoTime();
            boolean failed = true;
            try {
                Object result = handler.handle(payload, context);
                failed = false;
                return result;
            } finally {
                times.get().record(context.jobType(), System.nanoTime() - start, failed);
            }
        };
    }

    private static Set<String> options() {
        Set<String> names = new HashSet<>(ExampleStore.OPTIONS);
        names.addAll(List.of("documents", "corpus", "concurrency", "download-latency-ms", "summarize-latency-ms",
                "failure-rate", "outage-after", "outage-ms", "seed"));
        return Set.copyOf(names);
    }
}
