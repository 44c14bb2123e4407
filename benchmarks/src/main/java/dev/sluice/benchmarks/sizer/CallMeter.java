package dev.sluice.benchmarks.sizer;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts handler calls and the items they succeeded or failed on, and records each call's latency, from many
 * threads at once; reads them per measurement window. HdrHistogram's {@link Recorder} takes the latencies without
 * locks and hands out a window's histogram at once.
 */
final class CallMeter {

    private final Recorder latencies = new Recorder(3);
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder calls = new LongAdder();
    private long windowStart;
    private long succeededAtStart;
    private long failedAtStart;
    private long callsAtStart;

    /** Records one ended call: how long it took and how many of its items succeeded and failed. */
    void record(long nanos, long succeededItems, long failedItems) {
        latencies.recordValue(Math.max(1, nanos));
        succeeded.add(succeededItems);
        failed.add(failedItems);
        calls.increment();
    }

    /** Items failed since the meter was made. */
    long failedSoFar() {
        return failed.sum();
    }

    /** Starts a measurement window: what ended before is not counted in it. */
    void startWindow() {
        latencies.getIntervalHistogram();
        succeededAtStart = succeeded.sum();
        failedAtStart = failed.sum();
        callsAtStart = calls.sum();
        windowStart = System.nanoTime();
    }

    /** Ends the window started last and returns its point (heap figures as given). */
    SizingPoint endWindow(int concurrency, int batchSize, long heapPeakBytes, long heapLiveBytes) {
        double seconds = (System.nanoTime() - windowStart) / 1e9;
        Histogram h = latencies.getIntervalHistogram();
        long items = succeeded.sum() - succeededAtStart;
        long failedItems = failed.sum() - failedAtStart;
        long callCount = calls.sum() - callsAtStart;
        return new SizingPoint(concurrency, batchSize, seconds, items, failedItems, callCount, items / seconds,
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMean() / 1e6,
                heapPeakBytes, heapLiveBytes);
    }
}
