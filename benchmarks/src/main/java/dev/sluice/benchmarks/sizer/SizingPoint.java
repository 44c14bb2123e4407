package dev.sluice.benchmarks.sizer;

import java.util.Locale;

/**
 * What one point of a sweep measured: the handler run at {@code concurrency} (and, for batch handlers, at
 * {@code batchSize}; 0 for jobs) during a measurement window of {@code seconds}.
 *
 * <p>An item is a job (job handlers) or a record (batch handlers); a call is one handler invocation (a job
 * attempt, or one batch). {@code throughput} counts succeeded items per second; latencies are of calls, measured
 * around the handler (start to end of one job attempt or one batch), so they include waits inside the handler
 * but not the time a job waited in the queue. Heap: {@code heapPeakBytes} is the largest heap use sampled during
 * the window (garbage included), {@code heapLiveBytes} the heap in use right after a full collection at the end of
 * the window, with the point's work still in flight.
 *
 * @param concurrency    handlers running at once (engine workers, or batches in flight)
 * @param batchSize      records per batch; 0 for job handlers
 * @param seconds        length of the measurement window
 * @param items          items that succeeded in the window
 * @param failedItems    items that failed in the window
 * @param calls          handler calls that ended in the window
 * @param throughput     succeeded items per second
 * @param p50Millis      median call latency
 * @param p99Millis      99th percentile call latency
 * @param meanMillis     mean call latency: the service time of Little's law
 * @param heapPeakBytes  largest sampled heap use in the window
 * @param heapLiveBytes  heap in use after a full collection at the window's end
 */
public record SizingPoint(int concurrency, int batchSize, double seconds, long items, long failedItems, long calls,
                          double throughput, double p50Millis, double p99Millis, double meanMillis,
                          long heapPeakBytes, long heapLiveBytes) {

    /** The CSV header matching {@link #toCsvRow()}. */
    public static final String CSV_HEADER = "concurrency,batchSize,seconds,items,failedItems,calls,throughput,"
            + "p50Millis,p99Millis,meanMillis,errorRate,heapPeakBytes,heapLiveBytes";

    /** Failed items over all items that ended in the window; 0 when none ended. */
    public double errorRate() {
        long all = items + failedItems;
        return all == 0 ? 0 : (double) failedItems / all;
    }

    /** Handler calls per second. */
    public double callsPerSecond() {
        return seconds <= 0 ? 0 : calls / seconds;
    }

    /** Little's law L = λW: the mean number of handler calls in progress during the window. */
    public double busyWorkers() {
        return callsPerSecond() * meanMillis / 1000.0;
    }

    /** One CSV line (no newline) in the order of {@link #CSV_HEADER}. */
    public String toCsvRow() {
        return String.format(Locale.ROOT, "%d,%d,%.3f,%d,%d,%d,%.3f,%.4f,%.4f,%.4f,%.6f,%d,%d", concurrency,
                batchSize, seconds, items, failedItems, calls, throughput, p50Millis, p99Millis, meanMillis,
                errorRate(), heapPeakBytes, heapLiveBytes);
    }

    /**
     * Reads a line written by {@link #toCsvRow()}.
     *
     * @throws IllegalArgumentException naming the line when it does not have the columns of {@link #CSV_HEADER}
     */
    public static SizingPoint fromCsvRow(String line) {
        String[] f = line.trim().split(",");
        if (f.length != CSV_HEADER.split(",").length) {
            throw new IllegalArgumentException("a sizing point needs the columns " + CSV_HEADER + " but the line was '"
                    + line + "'");
        }
        try {
            return new SizingPoint(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]),
                    Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]), Double.parseDouble(f[6]),
                    Double.parseDouble(f[7]), Double.parseDouble(f[8]), Double.parseDouble(f[9]),
                    Long.parseLong(f[11]), Long.parseLong(f[12]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a sizing point: '" + line + "' (" + e.getMessage() + ")", e);
        }
    }
}
