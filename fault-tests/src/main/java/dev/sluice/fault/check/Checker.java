package dev.sluice.fault.check;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.JobState;
import dev.sluice.fault.harness.StoreFixture;
import dev.sluice.fault.ledger.LedgerEvent;
import dev.sluice.fault.ledger.LedgerReader;
import dev.sluice.store.JobStore;
import dev.sluice.store.StoreStats;
import dev.sluice.store.StoredJob;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes a run's figures once every job has ended: reads every job of the store (by pages) and the ledger's
 * summary of every job, and checks the store's own invariants.
 *
 * <ul>
 *   <li><b>lost</b>: a submitted job missing from the store, not in its expected end state, or SUCCEEDED under a
 *       fencing token that no execution ended under (a success nobody did);</li>
 *   <li><b>duplicate executions</b>: starts beyond the first, of jobs expected to succeed;</li>
 *   <li><b>duplicate accepted completions</b>: per job, the distinct tokens of accepted final completions (and the
 *       token the store ended the job under) beyond one;</li>
 *   <li><b>refused stale completions</b>: completions the store refused;</li>
 *   <li><b>invariants</b>: the store's own (see {@link StoreFixture#invariantViolations()}), its stats agreeing
 *       with its jobs, and no job in the store that nobody submitted.</li>
 * </ul>
 */
public final class Checker {

    private static final int PAGE = 10_000;
    private static final int LISTED = 10;

    private final JobStore store;
    private final StoreFixture fixture;
    private final LedgerReader ledger;

    public Checker(JobStore store, StoreFixture fixture, LedgerReader ledger) {
        this.store = store;
        this.fixture = fixture;
        this.ledger = ledger;
    }

    public RunFigures check(RunFacts facts) {
        Map<JobId, LedgerReader.JobLedger> executions = ledger.jobs();
        List<String> problems = new ArrayList<>(fixture.invariantViolations());
        Map<JobState, Long> byState = new EnumMap<>(JobState.class);
        Set<JobId> seen = new HashSet<>();
        long lost = 0;
        long duplicateExecutions = 0;
        long duplicateAccepted = 0;
        List<String> lostJobs = new ArrayList<>();
        JobQuery page = new JobQuery(null, null, null, null, PAGE);
        List<StoredJob> jobs;
        do {
            jobs = store.list(page);
            for (StoredJob job : jobs) {
                byState.merge(job.state(), 1L, Long::sum);
                Expectation expected = facts.expected().get(job.id());
                if (expected == null) {
                    problems.add("job " + job.id() + " is in the store but was not submitted by the run");
                    continue;
                }
                seen.add(job.id());
                LedgerReader.JobLedger record = executions.get(job.id());
                int starts = record == null ? 0 : record.starts();
                if (!expected.metBy(job.state(), job.lastError())) {
                    lost++;
                    note(lostJobs, "job " + job.id() + " is " + job.state() + " (" + job.lastError() + "), expected "
                            + expected.state());
                } else if (job.state() == JobState.SUCCEEDED && (record == null
                        || !contains(record.doneTokens(), job.fencingToken()))) {
                    lost++;
                    note(lostJobs, "job " + job.id() + " is SUCCEEDED under token " + job.fencingToken()
                            + " but no execution under that token ended");
                }
                if (expected.state() == JobState.SUCCEEDED && starts > 1) {
                    duplicateExecutions += starts - 1;
                }
                Set<Long> accepted = new HashSet<>();
                if (record != null) {
                    for (long token : record.terminalAcceptedTokens()) {
                        accepted.add(token);
                    }
                }
                if (job.state().isTerminal()) {
                    accepted.add(job.fencingToken());
                }
                if (accepted.size() > 1) {
                    duplicateAccepted += accepted.size() - 1;
                    problems.add("job " + job.id() + " has accepted final completions under tokens " + accepted);
                }
            }
            if (!jobs.isEmpty()) {
                page = page.after(jobs.get(jobs.size() - 1).id());
            }
        } while (jobs.size() == PAGE);
        for (JobId id : facts.expected().keySet()) {
            if (!seen.contains(id)) {
                lost++;
                note(lostJobs, "job " + id + " is missing from the store");
            }
        }
        problems.addAll(lostJobs);
        compareStats(byState, problems);
        return new RunFigures(facts.scenario(), facts.store(), facts.expected().size(), lost, duplicateExecutions,
                facts.inFlightOnFaulted(), duplicateAccepted, ledger.count(LedgerEvent.Kind.STALE, null),
                facts.recoveryMillis(), facts.recoveryTargetMillis(), facts.throughputBackMillis(), problems);
    }

    private void compareStats(Map<JobState, Long> byState, List<String> problems) {
        StoreStats stats = store.stats();
        for (JobState state : JobState.values()) {
            long counted = stats.total(state);
            long listed = byState.getOrDefault(state, 0L);
            if (counted != listed) {
                problems.add("stats count " + counted + " " + state + " jobs but the store lists " + listed);
            }
        }
    }

    private static void note(List<String> lostJobs, String line) {
        if (lostJobs.size() < LISTED) {
            lostJobs.add(line);
        }
    }

    private static boolean contains(long[] values, long value) {
        for (long v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}
