package dev.sluice.fault.harness;

/** How soon completions ran at their old rate again after the store came back, from the ledger's times. */
final class Throughput {

    private static final long BASELINE_MILLIS = 3_000;
    private static final long WINDOW_MILLIS = 1_000;
    private static final long STEP_MILLIS = 100;

    private Throughput() {
    }

    /**
     * The time from {@code backAtMillis} to the end of the first one-second window, starting at or after it, in
     * which completions were accepted at half or more of their rate in the {@value #BASELINE_MILLIS} ms (at most)
     * before the store went down; {@link Long#MAX_VALUE} when none was.
     *
     * @param acceptedTimes host times of accepted completions, ascending
     */
    static long backAfter(long[] acceptedTimes, long downAtMillis, long backAtMillis) {
        // the baseline starts with the first completion when the run had been going for less than the baseline
        long from = Math.max(downAtMillis - BASELINE_MILLIS, acceptedTimes.length == 0 ? 0 : acceptedTimes[0]);
        double baselinePerWindow = count(acceptedTimes, from, downAtMillis) * (double) WINDOW_MILLIS
                / Math.max(1, downAtMillis - from);
        if (baselinePerWindow == 0) {
            throw new IllegalStateException("no completions in the " + BASELINE_MILLIS
                    + " ms before the store went down: nothing to compare with");
        }
        long last = acceptedTimes.length == 0 ? backAtMillis : acceptedTimes[acceptedTimes.length - 1];
        for (long start = backAtMillis; start <= last; start += STEP_MILLIS) {
            if (count(acceptedTimes, start, start + WINDOW_MILLIS) >= baselinePerWindow / 2) {
                return start + WINDOW_MILLIS - backAtMillis;
            }
        }
        return Long.MAX_VALUE;
    }

    /** Completions per window of {@code windowMillis} from the first one: how a run's pace changed. */
    static java.util.List<Long> perWindow(long[] acceptedTimes, long windowMillis) {
        java.util.List<Long> counts = new java.util.ArrayList<>();
        if (acceptedTimes.length == 0) {
            return counts;
        }
        long last = acceptedTimes[acceptedTimes.length - 1];
        for (long from = acceptedTimes[0]; from <= last; from += windowMillis) {
            counts.add(count(acceptedTimes, from, from + windowMillis));
        }
        return counts;
    }

    private static long count(long[] sorted, long from, long to) {
        return lowerBound(sorted, to) - lowerBound(sorted, from);
    }

    private static int lowerBound(long[] sorted, long value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
