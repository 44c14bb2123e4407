package dev.sluice.batch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one run of a {@link BatchProcessor}. Immutable. Counts cover the whole execution, batches
 * committed by earlier (crashed or cancelled) runs of a resumed job included; times and rates cover this run.
 */
public final class BatchReport {

    /** How a run ended. */
    public enum Status {
        /** Every record was processed and the failed ones stayed within the threshold. */
        SUCCEEDED,
        /** Failed records passed the threshold: the run stopped early. */
        FAILED,
        /** The run was cancelled (or its job stopped); committed batches are checkpointed. */
        CANCELLED
    }

    /**
     * A batch whose records all count as failed: it threw a permanent error, or a transient one after its
     * retries.
     *
     * @param batchIndex        its number in the source
     * @param firstRecordOffset position of its first record in the source
     * @param records           its records
     * @param reason            the error
     */
    public record FailedBatch(long batchIndex, long firstRecordOffset, int records, String reason) {
    }

    private final Status status;
    private final long totalRecords;
    private final long totalBatches;
    private final long succeededRecords;
    private final long failedRecords;
    private final long failedBatches;
    private final long retries;
    private final long processingTimeMs;
    private final double recordsPerSecond;
    private final double averageBatchLatencyMs;
    private final double p95BatchLatencyMs;
    private final long peakHeapBytes;
    private final long resumedFromBatch;
    private final List<RecordFailure> failures;
    private final List<FailedBatch> failedBatchList;

    BatchReport(Status status, long totalRecords, long totalBatches, long succeededRecords, long failedRecords,
                long failedBatches, long retries, long processingTimeMs, double recordsPerSecond,
                double averageBatchLatencyMs, double p95BatchLatencyMs, long peakHeapBytes, long resumedFromBatch,
                List<RecordFailure> failures, List<FailedBatch> failedBatchList) {
        this.status = status;
        this.totalRecords = totalRecords;
        this.totalBatches = totalBatches;
        this.succeededRecords = succeededRecords;
        this.failedRecords = failedRecords;
        this.failedBatches = failedBatches;
        this.retries = retries;
        this.processingTimeMs = processingTimeMs;
        this.recordsPerSecond = recordsPerSecond;
        this.averageBatchLatencyMs = averageBatchLatencyMs;
        this.p95BatchLatencyMs = p95BatchLatencyMs;
        this.peakHeapBytes = peakHeapBytes;
        this.resumedFromBatch = resumedFromBatch;
        this.failures = List.copyOf(failures);
        this.failedBatchList = List.copyOf(failedBatchList);
    }

    public Status status() {
        return status;
    }

    /** Records processed (succeeded + failed) in committed batches. */
    public long totalRecords() {
        return totalRecords;
    }

    /** Batches committed. */
    public long totalBatches() {
        return totalBatches;
    }

    public long succeededRecords() {
        return succeededRecords;
    }

    /** Records that failed: reported by the handler, or in a failed batch. */
    public long failedRecords() {
        return failedRecords;
    }

    /** Batches whose every record counts as failed (see {@link FailedBatch}). */
    public long failedBatches() {
        return failedBatches;
    }

    /** Retries of batches after transient errors. */
    public long retries() {
        return retries;
    }

    /** Wall time of this run, from start to the last commit. */
    public long processingTimeMs() {
        return processingTimeMs;
    }

    /** Records processed by this run per second of its processing time. */
    public double recordsPerSecond() {
        return recordsPerSecond;
    }

    /** Mean time of this run's batches, retries and backoff included. */
    public double averageBatchLatencyMs() {
        return averageBatchLatencyMs;
    }

    /** 95th percentile of this run's batch times (from a histogram with 5% resolution). */
    public double p95BatchLatencyMs() {
        return p95BatchLatencyMs;
    }

    /** The highest JVM heap use sampled after batches of this run (the whole JVM, not only this run). */
    public long peakHeapBytes() {
        return peakHeapBytes;
    }

    /** The batch this run started from: 0 for a fresh run, else the checkpoint's first uncommitted batch. */
    public long resumedFromBatch() {
        return resumedFromBatch;
    }

    /** Failed records reported by the handler, first ones first, at most {@code maxFailuresInReport}. */
    public List<RecordFailure> failures() {
        return failures;
    }

    /** Failed batches, first ones first, at most {@code maxFailuresInReport}. */
    public List<FailedBatch> failedBatchList() {
        return failedBatchList;
    }

    /**
     * The completion message: {@code status}, {@code totalBatches}, {@code totalRecords},
     * {@code processingTimeMs}, then the other counts and figures, in a stable order. Values are String, Long or
     * Double.
     */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status.name());
        m.put("totalBatches", totalBatches);
        m.put("totalRecords", totalRecords);
        m.put("processingTimeMs", processingTimeMs);
        m.put("succeededRecords", succeededRecords);
        m.put("failedRecords", failedRecords);
        m.put("failedBatches", failedBatches);
        m.put("retries", retries);
        m.put("recordsPerSecond", round(recordsPerSecond));
        m.put("averageBatchLatencyMs", round(averageBatchLatencyMs));
        m.put("p95BatchLatencyMs", round(p95BatchLatencyMs));
        m.put("peakHeapBytes", peakHeapBytes);
        m.put("resumedFromBatch", resumedFromBatch);
        return m;
    }

    /** {@link #summary()} as one JSON object (the result of a batch job). */
    public String summaryJson() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : summary().entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            if (v instanceof String) {
                sb.append('"').append(v).append('"'); // only the status enum's name: nothing to escape
            } else {
                sb.append(v);
            }
        }
        return sb.append('}').toString();
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    @Override
    public String toString() {
        return "BatchReport" + summaryJson();
    }
}
