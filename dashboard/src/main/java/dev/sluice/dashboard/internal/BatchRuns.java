package dev.sluice.dashboard.internal;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.JobState;
import dev.sluice.dashboard.internal.ConsoleViews.JobRow;
import dev.sluice.store.JobStore;
import dev.sluice.store.StoredJob;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Batch runs as the console sees them: jobs that report progress or keep a checkpoint (the batch processor's
 * jobs do both). Running ones are found by listing RUNNING jobs; the last {@link #REMEMBERED} seen are
 * remembered, so that a run that finished between two looks still shows with its end state.
 */
final class BatchRuns {

    static final int REMEMBERED = 50;
    private static final int RUNNING_SCAN = 1000;

    private final JobStore store;
    private final Set<JobId> seen = new LinkedHashSet<>();

    BatchRuns(JobStore store) {
        this.store = store;
    }

    synchronized List<JobRow> latest() {
        JobId after = null;
        int scanned = 0;
        while (scanned < RUNNING_SCAN) {
            List<StoredJob> page = store.list(new JobQuery(JobState.RUNNING, null, null, after, 200));
            for (StoredJob job : page) {
                if (job.progress() > 0 || job.checkpoint() != null) {
                    remember(job.id());
                }
            }
            scanned += page.size();
            if (page.size() < 200) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        List<StoredJob> jobs = new ArrayList<>(store.findAll(seen));
        // A purged or forgotten job is not found again: stop remembering it.
        seen.retainAll(jobs.stream().map(StoredJob::id).toList());
        jobs.sort(Comparator.comparing(StoredJob::id).reversed());
        return jobs.stream().map(ConsoleViews::row).toList();
    }

    private void remember(JobId id) {
        seen.remove(id);
        seen.add(id);
        if (seen.size() > REMEMBERED) {
            JobId oldest = seen.iterator().next();
            seen.remove(oldest);
        }
    }
}
