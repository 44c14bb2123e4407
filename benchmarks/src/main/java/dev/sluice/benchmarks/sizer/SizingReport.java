package dev.sluice.benchmarks.sizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of a sweep: every point, the recommendation, and where it was measured; printable as a table and
 * writable as JSON, CSV and an SVG chart. Immutable.
 */
public final class SizingReport {

    private final String handler;
    private final String mode;
    private final List<SizingPoint> points;
    private final Recommendation recommendation;
    private final Map<String, Object> machine;

    private SizingReport(String handler, String mode, List<SizingPoint> points, Recommendation recommendation,
                         Map<String, Object> machine) {
        this.handler = handler;
        this.mode = mode;
        this.points = List.copyOf(points);
        this.recommendation = recommendation;
        this.machine = machine;
    }

    /**
     * A report over measured points, with the machine read now (cores, JDK, max heap, load average).
     *
     * @param mode "jobs" (items are jobs) or "batches" (items are records)
     * @throws IllegalArgumentException when {@code points} is empty
     */
    public static SizingReport of(String handler, String mode, List<SizingPoint> points, double maxErrorRate) {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        machine.put("loadAverage1m", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        machine.put("maxErrorRate", maxErrorRate);
        return new SizingReport(handler, mode, points, Recommendation.choose(points, maxErrorRate), machine);
    }

    public List<SizingPoint> points() {
        return points;
    }

    public Recommendation recommendation() {
        return recommendation;
    }

    /** What the items are: "jobs" or "records". */
    public String itemName() {
        return mode.equals("jobs") ? "jobs" : "records";
    }

    public String handler() {
        return handler;
    }

    /** One line per point, as the sweep logs it. */
    static String describe(SizingPoint p) {
        return String.format(Locale.ROOT, "concurrency %d%s: %,.0f items/s, p50 %.3f ms, p99 %.3f ms, errors %.2f%%,"
                        + " heap peak %.1f MB, live %.1f MB", p.concurrency(),
                p.batchSize() > 0 ? " batch " + p.batchSize() : "", p.throughput(), p.p50Millis(), p.p99Millis(),
                100 * p.errorRate(), p.heapPeakBytes() / 1e6, p.heapLiveBytes() / 1e6);
    }

    /** The points as a text table, then the recommendation and the Little's-law check. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append("Concurrency sizing of ").append(handler).append(" (").append(mode).append("), ")
                .append(machine).append('\n');
        String unit = itemName() + "/s";
        out.append(String.format(Locale.ROOT, "%11s %9s %14s %10s %10s %10s %8s %8s %10s %10s%n", "concurrency",
                "batchSize", unit, "p50 ms", "p99 ms", "mean ms", "errors", "busy", "heap MB", "live MB"));
        SizingPoint knee = recommendation.knee();
        for (SizingPoint p : points) {
            out.append(String.format(Locale.ROOT, "%11d %9s %14.1f %10.3f %10.3f %10.3f %7.2f%% %8.2f %10.1f %10.1f%s%n",
                    p.concurrency(), p.batchSize() == 0 ? "-" : Integer.toString(p.batchSize()), p.throughput(),
                    p.p50Millis(), p.p99Millis(), p.meanMillis(), 100 * p.errorRate(), p.busyWorkers(),
                    p.heapPeakBytes() / 1e6, p.heapLiveBytes() / 1e6, p.equals(knee) ? "  <- knee" : ""));
        }
        out.append(String.format(Locale.ROOT, "Recommendation: concurrency %d%s: %,.0f %s (best %,.0f), mean %.3f ms,"
                        + " p99 %.3f ms. The knee: of the points within %d%% of the best throughput, the lowest mean"
                        + " latency.%n", knee.concurrency(), knee.batchSize() > 0 ? ", batchSize " + knee.batchSize() : "",
                knee.throughput(), unit, recommendation.bestThroughput(), knee.meanMillis(), knee.p99Millis(),
                Recommendation.KNEE_TOLERANCE_PERCENT));
        out.append("Little's law: ").append(recommendation.littleCheck().note()).append('\n');
        for (String note : recommendation.notes()) {
            out.append("Note: ").append(note).append('\n');
        }
        return out.toString();
    }

    /** The points as CSV with a header line ({@link SizingPoint#CSV_HEADER}). */
    public String csv() {
        StringBuilder out = new StringBuilder(SizingPoint.CSV_HEADER).append('\n');
        for (SizingPoint p : points) {
            out.append(p.toCsvRow()).append('\n');
        }
        return out.toString();
    }

    /** Everything as one JSON document: machine, points, recommendation with its Little's-law check. */
    public String json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("handler", handler);
        doc.put("mode", mode);
        doc.put("machine", machine);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SizingPoint p : points) {
            rows.add(pointJson(p));
        }
        doc.put("points", rows);
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("concurrency", recommendation.knee().concurrency());
        rec.put("batchSize", recommendation.knee().batchSize());
        rec.put("throughput", recommendation.knee().throughput());
        rec.put("bestThroughput", recommendation.bestThroughput());
        rec.put("kneeTolerancePercent", Recommendation.KNEE_TOLERANCE_PERCENT);
        rec.put("candidates", recommendation.candidates().stream().map(SizingReport::pointJson).toList());
        rec.put("littleCheck", recommendation.littleCheck());
        rec.put("notes", recommendation.notes());
        doc.put("recommendation", rec);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the sizing report as JSON", e);
        }
    }

    private static Map<String, Object> pointJson(SizingPoint p) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("concurrency", p.concurrency());
        row.put("batchSize", p.batchSize());
        row.put("seconds", p.seconds());
        row.put("items", p.items());
        row.put("failedItems", p.failedItems());
        row.put("calls", p.calls());
        row.put("throughput", p.throughput());
        row.put("p50Millis", p.p50Millis());
        row.put("p99Millis", p.p99Millis());
        row.put("meanMillis", p.meanMillis());
        row.put("errorRate", p.errorRate());
        row.put("busyWorkers", p.busyWorkers());
        row.put("heapPeakBytes", p.heapPeakBytes());
        row.put("heapLiveBytes", p.heapLiveBytes());
        return row;
    }

    /** The throughput and p99 curves against concurrency as an SVG document. */
    public String svg() {
        return new SizerChart(this).render();
    }

    /**
     * Writes {@code <dir>/sizing.json}, {@code sizing.csv} and {@code sizing.svg} (replacing them), creating
     * {@code dir} when needed; returns the three paths.
     */
    public List<Path> writeFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = List.of(dir.resolve("sizing.json"), dir.resolve("sizing.csv"),
                dir.resolve("sizing.svg"));
        Files.writeString(written.get(0), json(), StandardCharsets.UTF_8);
        Files.writeString(written.get(1), csv(), StandardCharsets.UTF_8);
        Files.writeString(written.get(2), svg(), StandardCharsets.UTF_8);
        return written;
    }
}
