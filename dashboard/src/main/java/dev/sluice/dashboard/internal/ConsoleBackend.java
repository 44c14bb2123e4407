package dev.sluice.dashboard.internal;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.dashboard.internal.ConsoleViews.ActionRow;
import dev.sluice.dashboard.internal.ConsoleViews.AlertRow;
import dev.sluice.dashboard.internal.ConsoleViews.ClusterPage;
import dev.sluice.dashboard.internal.ConsoleViews.HealthView;
import dev.sluice.dashboard.internal.ConsoleViews.JobDetail;
import dev.sluice.dashboard.internal.ConsoleViews.JobPage;
import dev.sluice.dashboard.internal.ConsoleViews.JobRow;
import dev.sluice.dashboard.internal.ConsoleViews.NodesView;
import dev.sluice.dashboard.internal.ConsoleViews.Overview;
import dev.sluice.dashboard.internal.ConsoleViews.PurgeView;
import dev.sluice.dashboard.internal.ConsoleViews.QueueRow;
import dev.sluice.dashboard.internal.ConsoleViews.RecurringRow;
import dev.sluice.store.StoreStats;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the console asks of the engine, in one place: the only type that touches {@code Sluice} and its
 * {@code SluiceAdmin}, so that the console's rules (security, routing, JSON) do not change when the engine grows
 * new admin calls. Implementations are thread-safe; requests call them from the server's threads.
 */
public interface ConsoleBackend {

    /** A page of jobs filtered by state, queue and type (each null for any), ids after {@code after}. */
    JobPage jobs(JobState state, String queue, String type, JobId after, int limit);

    /** The job page's data, or empty when the store does not know the job. */
    Optional<JobDetail> job(JobId id);

    Overview overview();

    List<QueueRow> queues();

    HealthView health();

    List<AlertRow> alerts();

    /** The node registry with the maintenance leader. */
    NodesView nodes();

    /** The operations page: leader and queues with depth and rates. */
    ClusterPage cluster();

    /** The recurring schedules registered on this node, with their latest and next fires. */
    List<RecurringRow> recurring();

    /** Jobs that report progress (batch runs): the running ones and the latest ones seen finishing. */
    List<JobRow> batches();

    /** The store's counts, for the charts' samples. */
    StoreStats stats();

    /** Puts DEAD or CANCELLED jobs back to READY; one outcome per id, in order. */
    List<ActionRow> retry(List<JobId> ids);

    /** Cancels unfinished jobs (running ones by request); one outcome per id, in order. */
    List<ActionRow> cancel(List<JobId> ids);

    /** Changes the priority of jobs that have not started; one outcome per id, in order. */
    List<ActionRow> reprioritize(List<JobId> ids, Priority priority);

    void pauseQueue(String queue);

    void resumeQueue(String queue);

    /** Cancels every job of the queue that has not started; running jobs finish. @return how many */
    int drainQueue(String queue);

    /** Purges finished jobs now by the engine's retention policy. */
    PurgeView purgeNow();

    /** Writes what this node holds back for batching. @return true when all was written within the timeout */
    boolean flush(Duration timeout);
}
