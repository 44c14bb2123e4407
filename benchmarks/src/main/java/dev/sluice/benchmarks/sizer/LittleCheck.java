package dev.sluice.benchmarks.sizer;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The cross-check of a recommendation by Little's law (L = λW): whether the workers were busy at the knee, and
 * whether the knee is the concurrency that the uncontended service time predicts for the knee's throughput.
 *
 * @param busyWorkers        calls per second × mean service time at the knee: handlers in progress on average
 * @param utilization        busyWorkers / concurrency at the knee (1.0: no worker was ever idle)
 * @param baseMeanMillis     mean service time at the lowest swept concurrency (same batch size): jobs alone
 * @param neededWorkers      calls per second at the knee × baseMeanMillis: the workers that throughput needs
 *                           if calls took as long as alone
 * @param predictedConcurrency the smallest swept concurrency ≥ neededWorkers (within 5%); 0 when the sweep has none
 * @param agrees             utilization ≥ {@value #MIN_UTILIZATION} and the knee is the predicted concurrency
 * @param note               one sentence saying what the check found
 */
public record LittleCheck(double busyWorkers, double utilization, double baseMeanMillis, double neededWorkers,
                          int predictedConcurrency, boolean agrees, String note) {

    /** Below this share of busy workers the knee's throughput was limited by something other than the handler. */
    public static final double MIN_UTILIZATION = 0.8;
    /** Measurement noise allowed when comparing workers needed with a swept concurrency. */
    static final double TOLERANCE = 0.05;

    /**
     * Checks {@code knee} against the other points of its batch size in {@code points}.
     *
     * @throws IllegalArgumentException when {@code points} has no point of the knee's batch size
     */
    static LittleCheck of(SizingPoint knee, List<SizingPoint> points) {
        List<SizingPoint> sameBatch = points.stream().filter(p -> p.batchSize() == knee.batchSize())
                .sorted(Comparator.comparingInt(SizingPoint::concurrency)).toList();
        if (sameBatch.isEmpty()) {
            throw new IllegalArgumentException("no point of batch size " + knee.batchSize() + " among " + points);
        }
        double busy = knee.busyWorkers();
        double utilization = busy / knee.concurrency();
        double baseMean = sameBatch.get(0).meanMillis();
        double needed = knee.callsPerSecond() * baseMean / 1000.0;
        int predicted = 0;
        for (SizingPoint p : sameBatch) {
            if (p.concurrency() >= needed * (1 - TOLERANCE)) {
                predicted = p.concurrency();
                break;
            }
        }
        boolean busyEnough = utilization >= MIN_UTILIZATION;
        boolean agrees = busyEnough && knee.concurrency() == predicted;
        String note;
        if (!busyEnough) {
            note = String.format(Locale.ROOT, "workers were busy only %.0f%% of the time at the knee: its throughput "
                    + "was limited by something other than the handler (free cores, the engine, the store or the "
                    + "feeding), so more concurrency would not help either", 100 * utilization);
        } else if (predicted == 0) {
            note = String.format(Locale.ROOT, "%.1f calls/s × %.3f ms (service time alone) = %.1f workers needed, "
                    + "more than the sweep's largest concurrency, though the knee reached that rate with %d: the "
                    + "lowest point ran slower than the knee (not warmed up, or a noisy machine); lengthen the "
                    + "warm-up", knee.callsPerSecond(), baseMean, needed, knee.concurrency());
        } else if (agrees) {
            note = String.format(Locale.ROOT, "agrees: %.1f calls/s × %.3f ms (service time alone) = %.1f workers "
                    + "needed; the smallest swept concurrency that covers them is the knee, %d",
                    knee.callsPerSecond(), baseMean, needed, predicted);
        } else if (knee.concurrency() > predicted) {
            note = String.format(Locale.ROOT, "the knee (%d) is above the %d that Little's law predicts from the "
                    + "service time alone (%.3f ms): calls slow down as concurrency grows (%.3f ms at the knee), "
                    + "so the handler contends for something (CPU, a pool, a lock)",
                    knee.concurrency(), predicted, baseMean, knee.meanMillis());
        } else {
            note = String.format(Locale.ROOT, "the knee (%d) is below the %d that Little's law predicts: calls were "
                    + "faster at the knee (%.3f ms) than alone (%.3f ms), so the lowest point was probably not warmed "
                    + "up; lengthen the warm-up", knee.concurrency(), predicted, knee.meanMillis(), baseMean);
        }
        return new LittleCheck(busy, utilization, baseMean, needed, predicted, agrees, note);
    }
}
