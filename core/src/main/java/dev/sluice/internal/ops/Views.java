package dev.sluice.internal.ops;

import dev.sluice.ops.JobDetail;
import dev.sluice.ops.JobSummary;
import dev.sluice.store.HistoryEntry;
import dev.sluice.store.StoredJob;

/** Turns store records into the admin API's plain records. */
final class Views {

    private Views() {
    }

    static JobSummary summary(StoredJob j) {
        return new JobSummary(j.id().toString(), j.type(), j.queue(), j.priority(), j.state(), j.attempts(),
                j.maxAttempts(), j.createdAt(), j.runAt(), j.startedAt(), j.finishedAt(), j.lastError(),
                j.progress(), j.tenant(), j.uniqueKey(), j.leaseOwner());
    }

    static JobDetail.StateChange change(HistoryEntry e) {
        return new JobDetail.StateChange(e.at(), e.from(), e.to(), e.attempt(), e.node(), e.error());
    }
}
