package dev.sluice.ops;

import dev.sluice.JobQuery;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.store.JobStore;
import dev.sluice.store.StoredJob;

import java.time.Duration;
import java.util.List;

/** Shared pieces of the operations tests. */
final class OpsTesting {

    /** Long enough for anything these tests wait for on a loaded two-core machine; never reached when they pass. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private OpsTesting() {
    }

    /** Fast operations: short leader lease, frequent checks and audit flushes, no automatic retention. */
    static OperationsConfig.Builder fastOperations() {
        return OperationsConfig.builder()
                .leaderLease(Duration.ofMillis(600))
                .heartbeatInterval(Duration.ofMillis(200))
                .recurringCheckInterval(Duration.ofMillis(20))
                .auditFlushInterval(Duration.ofMillis(20))
                .retention(RetentionPolicy.none());
    }

    /** An engine builder whose close gives up waiting for blocked handlers after a second. */
    static Sluice.Builder engine(JobStore store) {
        return Sluice.builder().store(store).drainTimeout(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50));
    }

    /** Every stored job of a type, in id order. */
    static List<StoredJob> jobsOfType(JobStore store, String type) {
        return store.list(new JobQuery(null, null, type, null, 10_000));
    }

    static boolean allIn(List<StoredJob> jobs, JobState state) {
        return jobs.stream().allMatch(j -> j.state() == state);
    }
}
