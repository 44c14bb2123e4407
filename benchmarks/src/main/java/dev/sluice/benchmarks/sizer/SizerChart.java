package dev.sluice.benchmarks.sizer;

import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Draws a report's curves as a plain SVG document: throughput (solid, left axis) and p99 latency (dashed, right
 * axis) against concurrency on a log-2 axis, one colour per batch size, the knee marked.
 */
final class SizerChart {

    private static final int WIDTH = 760;
    private static final int HEIGHT = 440;
    private static final int LEFT = 90;
    private static final int RIGHT = 90;
    private static final int TOP = 60;
    private static final int BOTTOM = 60;
    private static final int TICKS = 5;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    private final SizingReport report;
    private final double minLog;
    private final double maxLog;
    private final double maxThroughput;
    private final double maxLatency;
    private final StringBuilder svg = new StringBuilder();

    SizerChart(SizingReport report) {
        this.report = report;
        List<SizingPoint> points = report.points();
        this.minLog = log2(points.stream().mapToInt(SizingPoint::concurrency).min().orElse(1));
        this.maxLog = log2(points.stream().mapToInt(SizingPoint::concurrency).max().orElse(1));
        this.maxThroughput = niceCeiling(points.stream().mapToDouble(SizingPoint::throughput).max().orElse(0));
        this.maxLatency = niceCeiling(points.stream().mapToDouble(SizingPoint::p99Millis).max().orElse(0));
    }

    String render() {
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        text(WIDTH / 2.0, 22, "middle", "Concurrency sizing: " + report.handler(), "font-size=\"15\"");
        axes();
        TreeMap<Integer, List<SizingPoint>> byBatch = new TreeMap<>();
        for (SizingPoint p : report.points()) {
            byBatch.computeIfAbsent(p.batchSize(), k -> new java.util.ArrayList<>()).add(p);
        }
        int i = 0;
        for (var entry : byBatch.entrySet()) {
            String colour = COLOURS[i % COLOURS.length];
            List<SizingPoint> series = entry.getValue().stream()
                    .sorted(java.util.Comparator.comparingInt(SizingPoint::concurrency)).toList();
            series(series, colour, true);
            series(series, colour, false);
            legend(i, colour, entry.getKey());
            i++;
        }
        knee(report.recommendation().knee());
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void axes() {
        double bottom = HEIGHT - BOTTOM;
        line(LEFT, TOP, LEFT, bottom, "#333", "");
        line(WIDTH - RIGHT, TOP, WIDTH - RIGHT, bottom, "#333", "");
        line(LEFT, bottom, WIDTH - RIGHT, bottom, "#333", "");
        for (int t = 0; t <= TICKS; t++) {
            double y = bottom - t * (bottom - TOP) / TICKS;
            line(LEFT, y, WIDTH - RIGHT, y, "#e5e5e5", "");
            text(LEFT - 6, y + 4, "end", number(maxThroughput * t / TICKS), "");
            text(WIDTH - RIGHT + 6, y + 4, "start", number(maxLatency * t / TICKS), "");
        }
        report.points().stream().mapToInt(SizingPoint::concurrency).distinct().forEach(c -> {
            line(x(c), bottom, x(c), bottom + 5, "#333", "");
            text(x(c), bottom + 18, "middle", Integer.toString(c), "");
        });
        text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 18, "middle", "concurrency (log scale)", "");
        verticalText(22, (TOP + bottom) / 2, report.itemName() + " per second (solid)");
        verticalText(WIDTH - 16, (TOP + bottom) / 2, "p99 latency, ms (dashed)");
    }

    private void series(List<SizingPoint> series, String colour, boolean throughput) {
        StringBuilder path = new StringBuilder();
        for (SizingPoint p : series) {
            path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f",
                    x(p.concurrency()), throughput ? yThroughput(p.throughput()) : yLatency(p.p99Millis())));
        }
        svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                path, colour, throughput ? "" : " stroke-dasharray=\"6 4\""));
        for (SizingPoint p : series) {
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n",
                    x(p.concurrency()), throughput ? yThroughput(p.throughput()) : yLatency(p.p99Millis()),
                    colour));
        }
    }

    private void legend(int index, String colour, int batchSize) {
        double y = 40 + 14 * index;
        line(LEFT + 10, y, LEFT + 40, y, colour, " stroke-width=\"2\"");
        text(LEFT + 46, y + 4, "start", batchSize == 0 ? "jobs" : "batch size " + batchSize, "");
    }

    private void knee(SizingPoint knee) {
        double x = x(knee.concurrency());
        line(x, TOP, x, HEIGHT - BOTTOM, "#555", " stroke-dasharray=\"2 3\"");
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"7\" fill=\"none\" "
                + "stroke=\"black\" stroke-width=\"2\"/>%n", x, yThroughput(knee.throughput())));
        // The label goes on the side of the line with more room, so that it is never cut at the edge.
        boolean rightHalf = x > (LEFT + WIDTH - RIGHT) / 2.0;
        String label = "knee: concurrency " + knee.concurrency()
                + (knee.batchSize() > 0 ? ", batch " + knee.batchSize() : "");
        text(rightHalf ? x - 6 : x + 6, TOP + 12, rightHalf ? "end" : "start", label, "font-weight=\"bold\"");
    }

    private double x(int concurrency) {
        double span = maxLog - minLog;
        double share = span == 0 ? 0.5 : (log2(concurrency) - minLog) / span;
        return LEFT + share * (WIDTH - LEFT - RIGHT);
    }

    private double yThroughput(double value) {
        return scale(value, maxThroughput);
    }

    private double yLatency(double value) {
        return scale(value, maxLatency);
    }

    private static double scale(double value, double max) {
        double share = max <= 0 ? 0 : value / max;
        return HEIGHT - BOTTOM - share * (HEIGHT - BOTTOM - TOP);
    }

    private void line(double x1, double y1, double x2, double y2, String colour, String extra) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>%n",
                x1, y1, x2, y2, colour, extra));
    }

    private void text(double x, double y, String anchor, String content, String extra) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" %s>%s</text>%n", x, y,
                anchor, extra, escape(content)));
    }

    private void verticalText(double x, double y, String content) {
        svg.append(String.format(Locale.ROOT, "<text transform=\"translate(%.1f %.1f) rotate(-90)\" "
                + "text-anchor=\"middle\">%s</text>%n", x, y, escape(content)));
    }

    private static double log2(int value) {
        return Math.log(value) / Math.log(2);
    }

    /** The smallest 1, 2 or 5 × 10^n at or above value (1 for zero). */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String number(double value) {
        if (value >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", value / 1e6);
        }
        if (value >= 1e4) {
            return String.format(Locale.ROOT, "%.0fk", value / 1e3);
        }
        return value >= 10 || value == 0 ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
