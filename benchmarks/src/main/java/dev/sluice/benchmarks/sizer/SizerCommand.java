package dev.sluice.benchmarks.sizer;

import dev.sluice.JobHandler;
import dev.sluice.batch.BatchHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The concurrency sizer as a plain command:
 *
 * <pre>
 * java -cp benchmarks.jar:your-handlers.jar dev.sluice.benchmarks.sizer.SizerCommand \
 *     --handler com.example.SendInvoice [--payloads com.example.InvoicePayloads] \
 *     [--concurrency 1,2,4,8,16,32] [--batch-sizes 100,1000] [--warmup 1] [--seconds 3] \
 *     [--max-error-rate 0.01] [--out sizing]
 * </pre>
 *
 * <p>The handler is a {@code JobHandler} or a {@code BatchHandler} with a public no-argument constructor; the
 * payloads, a {@link PayloadFactory} (default: null payloads for jobs, the record index for batches). Prints the
 * table and writes sizing.json, sizing.csv and sizing.svg to the {@code --out} directory. With
 * {@code --from-points FILE} it measures nothing and reports the points that the JMH mode
 * ({@code ConcurrencySizerBenchmark -p pointsFile=FILE}) appended to FILE. Exit status 2 on bad arguments.
 */
public final class SizerCommand {

    private static final Set<String> OPTIONS = Set.of("--handler", "--payloads", "--concurrency", "--batch-sizes",
            "--warmup", "--seconds", "--max-error-rate", "--out", "--from-points");

    private SizerCommand() {
    }

    public static void main(String[] args) throws Exception {
        // The engine's start/stop lines for every point would bury the table (slf4j-simple reads this once).
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        try {
            System.exit(run(parse(args)));
        } catch (IllegalArgumentException e) {
            System.err.println("sizer: " + e.getMessage());
            System.err.println("usage: SizerCommand --handler CLASS [--payloads CLASS] [--concurrency 1,2,4,...]"
                    + " [--batch-sizes 100,1000] [--warmup S] [--seconds S] [--max-error-rate R] [--out DIR]"
                    + " | --from-points FILE [--handler NAME] [--out DIR]");
            System.exit(2);
        }
    }

    static int run(Map<String, String> options) throws IOException, InterruptedException {
        double maxErrorRate = Double.parseDouble(options.getOrDefault("--max-error-rate", "0.01"));
        Path out = Path.of(options.getOrDefault("--out", "sizing"));
        SizingReport report;
        if (options.containsKey("--from-points")) {
            report = fromPoints(Path.of(options.get("--from-points")),
                    options.getOrDefault("--handler", "(JMH points)"), maxErrorRate);
        } else {
            report = measure(options, maxErrorRate);
        }
        System.out.print(report.table());
        for (Path written : report.writeFiles(out)) {
            System.out.println("wrote " + written);
        }
        return 0;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static SizingReport measure(Map<String, String> options, double maxErrorRate)
            throws InterruptedException {
        String handlerClass = options.get("--handler");
        if (handlerClass == null) {
            throw new IllegalArgumentException("--handler is required (or --from-points)");
        }
        boolean batch = UserClasses.isBatchHandler(handlerClass);
        PayloadFactory payloads = UserClasses.payloads(options.get("--payloads"), batch);
        ConcurrencySizer.Builder builder = batch
                ? ConcurrencySizer.batches(UserClasses.instantiate(handlerClass, BatchHandler.class), payloads)
                : ConcurrencySizer.jobs((Class) payloads.payloadClass(),
                        UserClasses.instantiate(handlerClass, JobHandler.class), payloads);
        builder.maxErrorRate(maxErrorRate)
                .warmup(Duration.ofMillis(seconds(options.getOrDefault("--warmup", "1"), "--warmup")))
                .window(Duration.ofMillis(seconds(options.getOrDefault("--seconds", "3"), "--seconds")));
        if (options.containsKey("--concurrency")) {
            builder.concurrency(ints(options.get("--concurrency"), "--concurrency"));
        }
        if (options.containsKey("--batch-sizes")) {
            if (!batch) {
                throw new IllegalArgumentException("--batch-sizes applies to batch handlers, but " + handlerClass
                        + " is a JobHandler");
            }
            builder.batchSizes(ints(options.get("--batch-sizes"), "--batch-sizes"));
        }
        return builder.build().run();
    }

    /** A report over the points in a CSV file (the header line, if any, is skipped). */
    static SizingReport fromPoints(Path file, String handler, double maxErrorRate) throws IOException {
        List<SizingPoint> points = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.startsWith(SizingPoint.CSV_HEADER.substring(0, 12))) {
                points.add(SizingPoint.fromCsvRow(line));
            }
        }
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no sizing points in " + file);
        }
        boolean batch = points.stream().anyMatch(p -> p.batchSize() > 0);
        return SizingReport.of(handler, batch ? "batches" : "jobs", points, maxErrorRate);
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!OPTIONS.contains(args[i])) {
                throw new IllegalArgumentException("unknown option '" + args[i] + "'; options are " + OPTIONS);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    static int[] ints(String list, String option) {
        try {
            return Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a comma-separated list of integers but was '"
                    + list + "'", e);
        }
    }

    private static long seconds(String value, String option) {
        try {
            return Math.round(Double.parseDouble(value) * 1000);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number of seconds but was '" + value + "'", e);
        }
    }
}
