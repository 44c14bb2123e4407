package dev.sluice.batch;

import dev.sluice.NonRetryableException;

/**
 * Thrown by the job handler of {@link BatchProcessor#asJobHandler} when a run ends FAILED (its failed records
 * passed the threshold): the job ends DEAD at once, since running it again would resume with the same counts.
 * The report is kept here and its summary is the job's last error.
 */
public final class BatchFailedException extends NonRetryableException {

    private final transient BatchReport report;

    public BatchFailedException(BatchReport report) {
        super("batch run failed: " + report.summaryJson());
        this.report = report;
    }

    public BatchReport report() {
        return report;
    }
}
