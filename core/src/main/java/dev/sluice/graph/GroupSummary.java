package dev.sluice.graph;

import dev.sluice.JobContext;
import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link JobGraph#group job group} ended, for its on-complete job: how many members succeeded, ended DEAD
 * (failed) or were cancelled, and how long the group took, from the first member's submission to the last
 * member's end. Its handler reads it with {@link #of(JobContext)}:
 *
 * <pre>{@code
 * .handler("import-done", String.class, (batchName, ctx) -> {
 *     GroupSummary summary = GroupSummary.of(ctx);
 *     mailer.send(batchName + ": " + summary.succeeded() + " of " + summary.total() + " files imported");
 *     return null;
 * })
 * }</pre>
 *
 * <p>Members are read from the store when the callback runs. Stores keep a finished job while a dependent has not
 * finished (the in-memory store beyond its {@code retainFinished}); only a member deleted by hand (a purge) is not
 * counted.
 *
 * @param succeeded   members that SUCCEEDED
 * @param failed      members that ended DEAD
 * @param cancelled   members that were CANCELLED
 * @param submittedAt when the first member was submitted, or null when there are none
 * @param finishedAt  when the last member ended, or null when none has
 * @param failedJobs  the ids of the DEAD and CANCELLED members, in the group's order
 */
public record GroupSummary(int succeeded, int failed, int cancelled, Instant submittedAt, Instant finishedAt,
                           List<JobId> failedJobs) {

    public GroupSummary {
        failedJobs = List.copyOf(failedJobs);
    }

    /**
     * The summary of the group whose on-complete job {@code context} runs: built from {@link JobContext#parents()}
     * (one read of the store, shared with the handler's other calls of it). On a job that is not a group's
     * callback it summarises the job's parents all the same.
     */
    public static GroupSummary of(JobContext context) {
        return of(context.parents());
    }

    /** The summary of these members. A member in a state other than the three ends is not counted. */
    public static GroupSummary of(List<JobInfo> members) {
        Objects.requireNonNull(members, "members");
        int succeeded = 0;
        int failed = 0;
        int cancelled = 0;
        Instant first = null;
        Instant last = null;
        List<JobId> failures = new ArrayList<>();
        for (JobInfo member : members) {
            JobState state = member.state();
            if (state == JobState.SUCCEEDED) {
                succeeded++;
            } else if (state == JobState.DEAD) {
                failed++;
                failures.add(member.id());
            } else if (state == JobState.CANCELLED) {
                cancelled++;
                failures.add(member.id());
            }
            if (first == null || member.createdAt().isBefore(first)) {
                first = member.createdAt();
            }
            Instant end = member.finishedAt().orElse(null);
            if (end != null && (last == null || end.isAfter(last))) {
                last = end;
            }
        }
        return new GroupSummary(succeeded, failed, cancelled, first, last, failures);
    }

    /** Members counted: succeeded + failed + cancelled. */
    public int total() {
        return succeeded + failed + cancelled;
    }

    /** True when every member succeeded. */
    public boolean allSucceeded() {
        return failed == 0 && cancelled == 0;
    }

    /** From the first submission to the last end; zero when either is unknown. */
    public Duration duration() {
        return submittedAt == null || finishedAt == null ? Duration.ZERO : Duration.between(submittedAt, finishedAt);
    }
}
