package dev.sluice.batch;

/**
 * Progress of a run, passed to {@link BatchConfig.Builder#onProgress} at most once per progress interval and
 * once at the end.
 *
 * @param doneRecords      records of committed batches (succeeded or failed), resumed runs included
 * @param totalRecords     records in the source when it knows, else -1
 * @param committedBatches batches committed
 * @param failedRecords    records counted as failed so far
 */
public record BatchProgress(long doneRecords, long totalRecords, long committedBatches, long failedRecords) {

    /** done / total in [0, 1], or -1 when the total is unknown. */
    public double fraction() {
        if (totalRecords < 0) {
            return -1;
        }
        return totalRecords == 0 ? 1.0 : Math.min(1.0, (double) doneRecords / totalRecords);
    }
}
