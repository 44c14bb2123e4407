package dev.sluice.internal.ops;

import dev.sluice.JobState;
import dev.sluice.ops.PurgeReport;
import dev.sluice.ops.RetentionPolicy;
import dev.sluice.store.JobStore;
import dev.sluice.store.PurgeRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Deletes finished jobs by a {@link RetentionPolicy}, in bounded batches: {@link JobStore#purge} with the batch
 * size as limit until a call deletes fewer, with a pause between calls. Two passes: SUCCEEDED and CANCELLED by
 * age and count per type, then DEAD by age. The scheduled sweep runs on the leader only and stops between
 * batches when the leadership ends.
 */
final class RetentionSweeper {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);

    private final JobStore store;
    private final Clock clock;
    private final RetentionPolicy policy;
    private final MaintenanceLeader leader;

    RetentionSweeper(JobStore store, Clock clock, RetentionPolicy policy, MaintenanceLeader leader) {
        this.store = store;
        this.clock = clock;
        this.policy = policy;
        this.leader = leader;
    }

    /** The scheduled sweep: runs when this node leads. Never throws. */
    void sweepIfLeader() {
        if (!policy.enabled() || !leader.leads()) {
            return;
        }
        try {
            PurgeReport report = purge(policy, leader::leads);
            if (report.total() > 0) {
                log.info("retention purged {} SUCCEEDED/CANCELLED and {} DEAD jobs", report.finished(), report.dead());
            }
        } catch (RuntimeException e) {
            log.warn("retention purge failed; the next sweep tries again", e);
        }
    }

    /** One sweep by {@code policy}, going on while {@code mayGoOn} says so (checked before every batch). */
    PurgeReport purge(RetentionPolicy policy, BooleanSupplier mayGoOn) {
        if (!policy.enabled()) {
            return new PurgeReport(0, 0);
        }
        Instant now = clock.instant();
        int finished = purgeAll(new PurgeRequest(EnumSet.of(JobState.SUCCEEDED, JobState.CANCELLED),
                now.minus(policy.finishedFor()), policy.keepNewestPerType(), policy.batchSize()), policy, mayGoOn);
        int dead = purgeAll(new PurgeRequest(EnumSet.of(JobState.DEAD), now.minus(policy.deadFor()),
                -1, policy.batchSize()), policy, mayGoOn);
        return new PurgeReport(finished, dead);
    }

    private int purgeAll(PurgeRequest request, RetentionPolicy policy, BooleanSupplier mayGoOn) {
        int total = 0;
        long pauseNanos = policy.pauseBetweenBatches().toNanos();
        while (mayGoOn.getAsBoolean()) {
            int deleted = store.purge(request);
            total += deleted;
            if (deleted < request.limit()) {
                break;
            }
            if (pauseNanos > 0) {
                // Leaves the store to other work between batches; an interrupt (shutdown) ends the sweep.
                LockSupport.parkNanos(this, pauseNanos);
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        }
        return total;
    }
}
