package dev.sluice.benchmarks.sizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The recommended point of a sweep, the knee of the throughput curve: of the points within
 * {@value #KNEE_TOLERANCE_PERCENT}% of the best throughput, the one with the lowest mean call latency; when several
 * are within 5% of that latency, the lowest concurrency (then the smallest batch) of them, since it costs least.
 * Points whose error rate is above the sweep's limit are not eligible unless every point is.
 *
 * <p>Why the mean: it is the W of Little's law, so it grows with every kind of contention (a CPU-bound call
 * preempted by another worker, an I/O-bound call waiting for a pooled connection), where the median misses
 * preemption that hits a few calls; and it is steadier than the p99 on a shared machine, whose stalls land in the
 * tail of any point.
 *
 * @param knee           the recommended point
 * @param bestThroughput the best throughput of the eligible points
 * @param candidates     the points within the tolerance of the best, lowest concurrency first
 * @param littleCheck    the knee checked by Little's law
 * @param notes          what else the choice found (e.g. every point above the error limit)
 */
public record Recommendation(SizingPoint knee, double bestThroughput, List<SizingPoint> candidates,
                             LittleCheck littleCheck, List<String> notes) {

    static final int KNEE_TOLERANCE_PERCENT = 5;
    static final double KNEE_TOLERANCE = KNEE_TOLERANCE_PERCENT / 100.0;

    public Recommendation {
        candidates = List.copyOf(candidates);
        notes = List.copyOf(notes);
    }

    /**
     * Chooses the knee of {@code points}.
     *
     * @param maxErrorRate points with a higher error rate are not eligible (unless no point is below it)
     * @throws IllegalArgumentException when {@code points} is empty
     */
    static Recommendation choose(List<SizingPoint> points, double maxErrorRate) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no points to choose from: the sweep measured nothing");
        }
        List<String> notes = new ArrayList<>();
        List<SizingPoint> eligible = points.stream().filter(p -> p.errorRate() <= maxErrorRate).toList();
        if (eligible.isEmpty()) {
            eligible = points;
            notes.add(String.format(Locale.ROOT, "every point failed more than %.1f%% of its items: the knee is "
                    + "chosen among all of them, but fix the errors first", 100 * maxErrorRate));
        }
        double best = eligible.stream().mapToDouble(SizingPoint::throughput).max().orElseThrow();
        Comparator<SizingPoint> cheapest = Comparator.comparingInt(SizingPoint::concurrency)
                .thenComparingInt(SizingPoint::batchSize);
        List<SizingPoint> candidates = eligible.stream()
                .filter(p -> p.throughput() >= best * (1 - KNEE_TOLERANCE)).sorted(cheapest).toList();
        double lowestMean = candidates.stream().mapToDouble(SizingPoint::meanMillis).min().orElseThrow();
        SizingPoint knee = candidates.stream().filter(p -> p.meanMillis() <= lowestMean * (1 + KNEE_TOLERANCE))
                .min(cheapest).orElseThrow();
        if (best <= 0) {
            notes.add("no point had a succeeded item: the recommendation means nothing");
        }
        return new Recommendation(knee, best, candidates, LittleCheck.of(knee, points), notes);
    }
}
