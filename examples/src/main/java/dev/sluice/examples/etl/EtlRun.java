package dev.sluice.examples.etl;

/**
 * The payload of a banking ETL job: everything that decides which records there are and how they are cut into
 * batches. A resumed job reads its settings from here (as stored at its first submit), not from the flags of
 * the process that resumes it, so that batch boundaries and records match its checkpoint.
 *
 * @param runId                   the name the user gave the run; the job's unique key is derived from it
 * @param totalRecords            transactions in the export
 * @param seed                    what the simulated export is generated from
 * @param batchSize               records per batch
 * @param concurrency             batches processed at once
 * @param failureRate             share of records with a defect that validation rejects
 * @param transientFailureRate    share of ledger writes that time out (and are retried)
 * @param failureThresholdPercent failed records (percent of processed) past which the run stops FAILED
 * @param maxRetries              retries of a batch whose ledger write timed out
 */
public record EtlRun(String runId, long totalRecords, long seed, int batchSize, int concurrency, double failureRate,
                     double transientFailureRate, double failureThresholdPercent, int maxRetries) {

    /** The job's unique key: one live job per run id, so a second start with the same id joins (resumes) it. */
    String uniqueKey() {
        return "banking-etl:" + runId;
    }
}
