package dev.sluice.ops;

import java.util.List;

/**
 * A page of jobs in ascending id order (keyset paging): pass {@code nextAfterId} as the next query's
 * {@code afterId} ({@code query.after(JobId.parse(nextAfterId))}).
 *
 * @param jobs        the jobs of this page
 * @param nextAfterId the last id of this page when the page was full (more may follow), else null
 */
public record JobPage(List<JobSummary> jobs, String nextAfterId) {

    public JobPage {
        jobs = List.copyOf(jobs);
    }
}
