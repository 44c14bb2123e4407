package dev.sluice.examples.documents;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * How long each handler call of each stage took during one run, failed calls included: the per-stage timing
 * breakdown. Handlers record from many threads at once; read with {@link #stats} once the run has ended.
 */
final class StageTimes {

    /**
     * One stage's calls in a run.
     *
     * @param calls         handler calls (attempts that ran; cached jobs and deferred attempts make none)
     * @param failures      calls that threw
     * @param totalMillis   time of all calls
     * @param averageMillis mean time of a call, 0 without calls
     * @param p95Millis     95th percentile (nearest rank), 0 without calls
     */
    record Stats(int calls, int failures, double totalMillis, double averageMillis, double p95Millis) {
    }

    private final Map<String, ConcurrentLinkedQueue<Long>> nanosByStage = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failuresByStage = new ConcurrentHashMap<>();

    void record(String stage, long nanos, boolean failed) {
        nanosByStage.computeIfAbsent(stage, s -> new ConcurrentLinkedQueue<>()).add(nanos);
        if (failed) {
            failuresByStage.computeIfAbsent(stage, s -> new LongAdder()).increment();
        }
    }

    Stats stats(String stage) {
        long[] nanos = nanosByStage.getOrDefault(stage, new ConcurrentLinkedQueue<>()).stream()
                .mapToLong(Long::longValue).sorted().toArray();
        LongAdder failed = failuresByStage.get(stage);
        int failures = failed == null ? 0 : failed.intValue();
        if (nanos.length == 0) {
            return new Stats(0, failures, 0, 0, 0);
        }
        double total = Arrays.stream(nanos).sum() / 1e6;
        int p95 = (int) Math.ceil(0.95 * nanos.length) - 1;
        return new Stats(nanos.length, failures, total, total / nanos.length, nanos[p95] / 1e6);
    }
}
