package dev.sluice.examples.etl;

import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import dev.sluice.SluiceTimeoutException;
import dev.sluice.batch.BatchConfig;
import dev.sluice.batch.BatchProcessor;
import dev.sluice.batch.BatchReport;
import dev.sluice.batch.RecordFailure;
import dev.sluice.examples.support.ExampleMain;
import dev.sluice.examples.support.ExampleOptions;
import dev.sluice.examples.support.ExampleStore;
import dev.sluice.examples.support.Terminal;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The README's main example: a banking ETL run. It reads {@code TOTAL_RECORDS} simulated transactions (default
 * 1,000,000), validates them, converts them to euros and books them on a ledger, in batches, through the batch
 * processor run as one job on the engine: every committed batch is checkpointed on the job, so a run stopped
 * midway (killed, crashed) resumes where it stopped when started again with the same {@code --run-id} on a
 * durable store.
 *
 * <p>It prints a live progress bar, an audit line for each state transition of the job, and a final report; it
 * exits with 1 when the run FAILED (failed records passed {@code FAILURE_THRESHOLD_PERCENT}), 2 when the job
 * ended otherwise without success, 64 for a bad option.
 *
 * <pre>
 * ./mvnw -q -pl examples -am test-compile exec:java
 * ./mvnw -q -pl examples -am test-compile exec:java -Dexec.args="--batch-size=500 --concurrency=2 --failure-rate=0.2"
 * ./mvnw -q -pl examples -am test-compile exec:java -Dexec.args="--store=postgres --run-id=nightly-1"
 * </pre>
 *
 * Every option is also an environment variable ({@code --batch-size} is {@code BATCH_SIZE}); a flag wins.
 */
public final class BankingEtlExample {

    static final String JOB_TYPE = "banking-etl";
    static final Set<String> OPTIONS = options();

    /**
     * How a run ended.
     *
     * @param exitCode    0 SUCCEEDED, 1 FAILED, 2 the job ended otherwise
     * @param jobState    the job's final state
     * @param report      the batch report of this process's last attempt; null when no attempt ran here
     * @param transitions the audit trail
     */
    public record Result(int exitCode, JobState jobState, BatchReport report, List<String> transitions) {
    }

    private BankingEtlExample() {
    }

    public static void main(String[] args) throws InterruptedException {
        ExampleMain.exitWith(() -> run(args, System.getenv(), Terminal.system()).exitCode());
    }

    /** Runs the example with these flags over these environment variables, printing to {@code terminal}. */
    public static Result run(String[] args, Map<String, String> environment, Terminal terminal)
            throws InterruptedException {
        ExampleOptions options = ExampleOptions.parse(args, environment, OPTIONS);
        EtlRun settings = settings(options);
        Duration progressInterval = Duration.ofMillis(options.whole("progress-update-ms",
                terminal.isInteractive() ? 200 : 1000, 0, 600_000));

        long writeLatencyMillis = options.whole("write-latency-ms", 2, 0, 60_000);
        AuditTrail audit = new AuditTrail(terminal);
        ProgressBar bar = new ProgressBar(terminal);
        AtomicReference<BatchReport> report = new AtomicReference<>();
        AtomicReference<LedgerLoader> ledger = new AtomicReference<>();

        try (ExampleStore store = ExampleStore.open(options, Duration.ofSeconds(60), 1_000, 4);
             Sluice sluice = Sluice.builder()
                     .store(store.store())
                     .concurrency(1)
                     // A killed run's job comes back to READY once its lease expires: keep that wait short.
                     .leaseDuration(Duration.ofSeconds(10))
                     .recoveryInterval(Duration.ofSeconds(1))
                     .listener(audit)
                     .handler(JOB_TYPE, EtlRun.class, (run, context) -> {
                         LedgerLoader loader = new LedgerLoader(run, writeLatencyMillis);
                         ledger.set(loader);
                         if (context.checkpoint().isPresent()) {
                             terminal.line("resuming run '" + run.runId() + "' from its checkpoint (settings of"
                                     + " its first start: " + run.totalRecords() + " records, batch size "
                                     + run.batchSize() + ")");
                         }
                         BatchConfig config = BatchConfig.builder()
                                 .batchSize(run.batchSize())
                                 .concurrency(run.concurrency())
                                 .failureThresholdPercent(run.failureThresholdPercent())
                                 .maxRetriesPerBatch(run.maxRetries())
                                 .retryBackoff(Duration.ofMillis(20), Duration.ofSeconds(1), 0.5)
                                 .progressInterval(progressInterval)
                                 .onProgress(bar)
                                 .onComplete(report::set)
                                 .build();
                         return BatchProcessor.of(config).asJobHandler(TransactionSource::new, loader)
                                 .handle(run, context);
                     }, RetryPolicy.builder().maxAttempts(5).initialInterval(Duration.ofSeconds(1)).build(), null)
                     .build()
                     .start()) {

            terminal.line(String.format(Locale.ROOT, "Banking ETL '%s' on the %s store: %,d transactions, batch"
                            + " size %,d, %d batches at once, failure rate %.2f%%, threshold %.1f%%, %d retries",
                    settings.runId(), store.description(), settings.totalRecords(), settings.batchSize(),
                    settings.concurrency(), settings.failureRate() * 100, settings.failureThresholdPercent(),
                    settings.maxRetries()));
            JobId id = sluice.submit(JobRequest.builder(JOB_TYPE).payload(settings)
                    .uniqueKey(settings.uniqueKey()).build());
            JobInfo done = awaitEnd(sluice, id, audit, terminal);
            terminal.endStatus();

            BatchReport last = report.get();
            int exitCode = done.state() == JobState.SUCCEEDED ? 0
                    : last != null && last.status() == BatchReport.Status.FAILED ? 1 : 2;
            printReport(terminal, settings, store, done, last, ledger.get(), exitCode);
            return new Result(exitCode, done.state(), last, audit.transitions());
        }
    }

    private static EtlRun settings(ExampleOptions options) {
        String runId = options.text("run-id", "run-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1,
                36));
        if (!runId.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("--run-id (RUN_ID) must match [A-Za-z0-9_.-]{1,64} but was '"
                    + runId + "'");
        }
        return new EtlRun(runId,
                options.whole("total-records", 1_000_000, 0, 1_000_000_000_000L),
                options.whole("seed", 20_260_101, Long.MIN_VALUE, Long.MAX_VALUE),
                options.integer("batch-size", 1_000, 1, 1_000_000),
                options.integer("concurrency", 4, 1, 1024),
                options.decimal("failure-rate", 0.01, 0, 1),
                options.decimal("transient-failure-rate", 0.02, 0, 1),
                options.decimal("failure-threshold-percent", 5, 0, 100),
                options.integer("max-retries", 3, 0, 100));
    }

    /** Waits for the job's end; says why when a job of the same run id is still held by a stopped node. */
    private static JobInfo awaitEnd(Sluice sluice, JobId id, AuditTrail audit, Terminal terminal)
            throws InterruptedException {
        boolean hinted = false;
        while (true) {
            try {
                return sluice.await(id, Duration.ofSeconds(2));
            } catch (SluiceTimeoutException stillRunning) {
                if (!hinted && !audit.startedHere()) {
                    hinted = true;
                    terminal.line("job " + id + " of this run id is held by another node (a killed run?): it"
                            + " resumes here once that node's lease expires, within 10 s");
                }
            }
        }
    }

    private static void printReport(Terminal terminal, EtlRun settings, ExampleStore store, JobInfo job,
                                    BatchReport report, LedgerLoader ledger, int exitCode) {
        terminal.line("");
        terminal.line("=== Banking ETL report: run '" + settings.runId() + "', job " + job.id() + " ===");
        if (report == null) {
            terminal.line("  the job ran on another node: " + job.state() + " "
                    + job.result(String.class).or(job::lastError).orElse(""));
            terminal.line(String.format(Locale.ROOT, "  status          %s (exit code %d)", job.state(), exitCode));
            return;
        }
        long total = report.totalRecords();
        Runtime runtime = Runtime.getRuntime();
        terminal.line(String.format(Locale.ROOT, "  records         %,d of %,d (%,d succeeded, %,d failed)", total,
                settings.totalRecords(), report.succeededRecords(), report.failedRecords()));
        terminal.line(String.format(Locale.ROOT, "  error rate      %.2f%% (threshold %.1f%%)",
                total == 0 ? 0.0 : 100.0 * report.failedRecords() / total, settings.failureThresholdPercent()));
        terminal.line(String.format(Locale.ROOT, "  batches         %,d committed, %,d retried, %,d failed whole",
                report.totalBatches(), report.retries(), report.failedBatches()));
        terminal.line(String.format(Locale.ROOT, "  throughput      %,.0f records/s (%,d ms in this process%s)",
                report.recordsPerSecond(), report.processingTimeMs(), report.resumedFromBatch() > 0
                        ? ", resumed at batch " + report.resumedFromBatch() : ""));
        terminal.line(String.format(Locale.ROOT, "  batch latency   %.2f ms average, %.2f ms p95",
                report.averageBatchLatencyMs(), report.p95BatchLatencyMs()));
        terminal.line(String.format(Locale.ROOT, "  max memory      %,d MiB heap used at peak (of %,d MiB max)",
                report.peakHeapBytes() >> 20, runtime.maxMemory() >> 20));
        if (ledger != null) {
            terminal.line(String.format(Locale.ROOT, "  ledger          %,d transactions booked here on %,d accounts;"
                            + " card payments EUR %,.2f, deposits EUR %,.2f", ledger.booked(),
                    ledger.accountsTouched(), ledger.volume(Transaction.Kind.CARD_PAYMENT) / 100.0,
                    ledger.volume(Transaction.Kind.DEPOSIT) / 100.0));
        }
        for (RecordFailure failure : report.failures().subList(0, Math.min(3, report.failures().size()))) {
            terminal.line("  rejected        transaction " + failure.recordId() + ": " + failure.reason());
        }
        terminal.line(String.format(Locale.ROOT, "  store           %s; job %s after %d attempt(s)",
                store.description(), job.state(), job.attempts()));
        terminal.line(String.format(Locale.ROOT, "  status          %s (exit code %d)", report.status(), exitCode));
    }

    private static Set<String> options() {
        Set<String> names = new HashSet<>(ExampleStore.OPTIONS);
        names.addAll(List.of("total-records", "batch-size", "concurrency", "progress-update-ms", "failure-rate",
                "transient-failure-rate", "failure-threshold-percent", "max-retries", "run-id", "seed",
                "write-latency-ms"));
        return Set.copyOf(names);
    }
}
