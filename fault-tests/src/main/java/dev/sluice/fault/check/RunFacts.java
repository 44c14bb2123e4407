package dev.sluice.fault.check;

import dev.sluice.JobId;

import java.util.Map;

/**
 * What the harness knows of a run besides the ledger and the store, for the checker.
 *
 * @param scenario             what was done
 * @param store                "postgres" or "redis"
 * @param expected             every job the run submitted, with how it must end
 * @param inFlightOnFaulted    jobs the faulted nodes held under lease when the faults struck
 * @param recoveryMillis       longest time from a fault until its jobs were taken back, or -1
 * @param recoveryTargetMillis lease + recovery interval
 * @param throughputBackMillis time until throughput was back after a store restart, or -1
 */
public record RunFacts(String scenario, String store, Map<JobId, Expectation> expected, long inFlightOnFaulted,
                       long recoveryMillis, long recoveryTargetMillis, long throughputBackMillis) {
}
