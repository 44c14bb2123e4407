package dev.sluice.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders one JMH JSON result file ({@code -rf json}) as a Markdown table: per benchmark and parameters, the
 * primary score with its error (percentiles for sample-time runs), the ratio to the alternative measured in the
 * same run where the class has one, and the load average recorded by {@link LoadAverageProfiler}.
 */
final class JmhTable {

    /** The row each class's rows are divided by: a method name, or a parameter value ("param=value"). */
    private static final Map<String, String> REFERENCE = Map.of(
            "EngineThroughputBenchmark", "threadPoolExecutor",
            "BatchProcessorBenchmark", "handLoop",
            "MicroBatcherBenchmark", "blockingQueue",
            "LatencyBenchmark", "threadPoolExecutor",
            "StoreThroughputBenchmark", "store=memory",
            "GraphBenchmark", "completableFutures",
            "GuardsOverheadBenchmark", "guards=off");

    /** What one operation is, per class: the unit "ops/s" is shown as items per second. */
    private static final Map<String, String> ITEM = Map.of(
            "EngineThroughputBenchmark", "jobs",
            "StoreThroughputBenchmark", "jobs",
            "BatchProcessorBenchmark", "records",
            "MicroBatcherBenchmark", "records",
            "ConcurrencySizerBenchmark", "items",
            "GraphBenchmark", "jobs",
            "GuardsOverheadBenchmark", "jobs");

    private JmhTable() {
    }

    /** One result of the file. */
    record Row(String className, String method, Map<String, String> params, double score, double error, String unit,
               Map<String, Double> percentiles, Double load) {

        /** The parameters, without empty ones and output files, class names shortened to simple names. */
        String paramText() {
            StringBuilder s = new StringBuilder();
            params.forEach((k, v) -> {
                if (!v.isEmpty() && !k.endsWith("File")) {
                    boolean className = v.matches("([a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*");
                    String shown = className ? v.substring(v.lastIndexOf('.') + 1) : v;
                    s.append(s.length() == 0 ? "" : ", ").append(k).append('=').append(shown);
                }
            });
            return s.toString();
        }

        /** The unit with "ops" named after what one operation is. */
        String itemUnit() {
            String item = ITEM.get(className);
            return item == null ? unit : unit.replace("ops/", item + "/");
        }
    }

    static List<Row> rows(JsonNode results) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode r : results) {
            String full = r.path("benchmark").asText();
            String[] parts = full.split("\\.");
            String className = parts.length > 1 ? parts[parts.length - 2] : full;
            String method = parts[parts.length - 1];
            Map<String, String> params = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = r.path("params").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
            JsonNode primary = r.path("primaryMetric");
            Map<String, Double> percentiles = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> ps = primary.path("scorePercentiles").fields();
            while (ps.hasNext()) {
                Map.Entry<String, JsonNode> e = ps.next();
                percentiles.put(e.getKey(), e.getValue().asDouble());
            }
            JsonNode load = r.path("secondaryMetrics").path(LoadAverageProfiler.METRIC);
            rows.add(new Row(className, method, params, primary.path("score").asDouble(),
                    primary.path("scoreError").asDouble(Double.NaN), primary.path("scoreUnit").asText(),
                    percentiles, load.isMissingNode() ? null : load.path("score").asDouble()));
        }
        return rows;
    }

    static String render(JsonNode results) {
        List<Row> rows = rows(results);
        if (rows.isEmpty()) {
            return "(no results)\n";
        }
        boolean sampled = rows.stream().anyMatch(r -> r.unit().contains("/op"));
        StringBuilder t = new StringBuilder();
        if (sampled) {
            t.append("| benchmark | parameters | p50 | p90 | p99 | p99.9 | unit | p99 ÷ reference | load avg |\n"
                    + "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        } else {
            t.append("| benchmark | parameters | score | ± error (99.9%) | unit | ÷ reference | load avg |\n"
                    + "| --- | --- | --- | --- | --- | --- | --- |\n");
        }
        for (Row r : rows) {
            Row reference = referenceFor(r, rows);
            String ratio = reference == null || reference == r ? "" : String.format(Locale.ROOT, "%.2f",
                    sampled ? r.percentiles().getOrDefault("99.0", Double.NaN)
                            / reference.percentiles().getOrDefault("99.0", Double.NaN)
                            : r.score() / reference.score());
            String load = r.load() == null ? "" : String.format(Locale.ROOT, "%.1f", r.load());
            if (sampled) {
                t.append(String.format(Locale.ROOT, "| %s.%s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                        r.className(), r.method(), r.paramText(), number(r.percentiles().get("50.0")),
                        number(r.percentiles().get("90.0")), number(r.percentiles().get("99.0")),
                        number(r.percentiles().get("99.9")), r.unit(), ratio, load));
            } else {
                t.append(String.format(Locale.ROOT, "| %s.%s | %s | %s | %s | %s | %s | %s |%n", r.className(),
                        r.method(), r.paramText(), number(r.score()), number(r.error()), r.itemUnit(), ratio, load));
            }
        }
        String reference = REFERENCE.get(rows.get(0).className());
        if (reference != null) {
            t.append("\n÷ reference: the row's score divided by that of `").append(reference)
                    .append("` with the same other parameters, measured in the same run.\n");
        }
        return t.toString();
    }

    /** The row with the same class and other parameters that {@link #REFERENCE} names, or null. */
    private static Row referenceFor(Row row, List<Row> rows) {
        String ref = REFERENCE.get(row.className());
        if (ref == null) {
            return null;
        }
        for (Row other : rows) {
            if (!other.className().equals(row.className())) {
                continue;
            }
            if (ref.contains("=")) {
                String[] kv = ref.split("=", 2);
                Map<String, String> wanted = new LinkedHashMap<>(row.params());
                wanted.put(kv[0], kv[1]);
                if (other.method().equals(row.method()) && other.params().equals(wanted)) {
                    return other;
                }
            } else if (other.method().equals(ref) && other.params().equals(row.params())) {
                return other;
            }
        }
        return null;
    }

    static String number(Double value) {
        if (value == null || value.isNaN()) {
            return "";
        }
        double v = value;
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
