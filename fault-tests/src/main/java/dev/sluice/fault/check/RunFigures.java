package dev.sluice.fault.check;

import java.util.ArrayList;
import java.util.List;

/**
 * The figures of one scenario run, as the checker computed them from the ledger and the store, and the targets
 * they are held to.
 *
 * @param scenario                      what was done
 * @param store                         "postgres" or "redis"
 * @param jobs                          jobs submitted
 * @param lost                          jobs that did not reach their expected end (SUCCEEDED, or DEAD for poison
 *                                      and corrupt jobs), or that ended SUCCEEDED under a token no execution ended
 *                                      under
 * @param duplicateExecutions           executions beyond the first of jobs expected to succeed
 * @param inFlightOnFaulted             jobs the faulted nodes held under lease when the faults struck (the bound
 *                                      of duplicate executions)
 * @param duplicateAcceptedCompletions  final completions accepted beyond one per job
 * @param staleCompletionsRefused       completions the store refused as stale
 * @param recoveryMillis                longest time from a fault until the store had taken back every job the
 *                                      faulted node held; -1 when nothing was held
 * @param recoveryTargetMillis          lease + recovery interval
 * @param throughputBackMillis          after a store restart: until completions ran at half their rate before the
 *                                      fault again; -1 when the scenario restarts no store
 * @param problems                      invariant breaches and other findings, in words
 */
public record RunFigures(String scenario, String store, long jobs, long lost, long duplicateExecutions,
                         long inFlightOnFaulted, long duplicateAcceptedCompletions, long staleCompletionsRefused,
                         long recoveryMillis, long recoveryTargetMillis, long throughputBackMillis,
                         List<String> problems) {

    /**
     * What the observation adds to the bound lease + sweep interval: the sweep's own statement, the 10 ms poll
     * that sees its effect, and scheduling on a loaded 2-core machine (seen: 3,013 ms against 3,000).
     */
    public static final long MEASUREMENT_SLACK_MILLIS = 250;

    /** Throughput must be back within this time after a store restart. */
    public static final long THROUGHPUT_BACK_TARGET_MILLIS = 10_000;

    public RunFigures {
        problems = List.copyOf(problems);
    }

    /** The targets this run missed, in words; empty when it met them all. */
    public List<String> missedTargets() {
        List<String> missed = new ArrayList<>();
        if (lost != 0) {
            missed.add(lost + " lost jobs (target 0)");
        }
        if (duplicateAcceptedCompletions != 0) {
            missed.add(duplicateAcceptedCompletions + " duplicate accepted completions (target 0)");
        }
        if (duplicateExecutions > inFlightOnFaulted) {
            missed.add(duplicateExecutions + " duplicate executions, more than the " + inFlightOnFaulted
                    + " jobs in flight on the faulted nodes");
        }
        if (recoveryMillis > recoveryTargetMillis + MEASUREMENT_SLACK_MILLIS) {
            missed.add("recovery took " + recoveryMillis + " ms, more than lease + sweep interval = "
                    + recoveryTargetMillis + " ms");
        }
        if (throughputBackMillis > THROUGHPUT_BACK_TARGET_MILLIS) {
            missed.add("throughput came back " + throughputBackMillis + " ms after the store restart (target "
                    + THROUGHPUT_BACK_TARGET_MILLIS + " ms)");
        }
        missed.addAll(problems);
        return missed;
    }
}
