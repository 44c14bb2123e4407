package dev.sluice.dashboard.internal;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.dashboard.internal.ConsoleViews.AlertRow;
import dev.sluice.dashboard.internal.ConsoleViews.HealthView;
import dev.sluice.dashboard.internal.ConsoleViews.JobDetail;
import dev.sluice.dashboard.internal.ConsoleViews.JobPage;
import dev.sluice.dashboard.internal.ConsoleViews.JobRow;
import dev.sluice.dashboard.internal.ConsoleViews.NodesView;
import dev.sluice.dashboard.internal.ConsoleViews.Overview;
import dev.sluice.dashboard.internal.ConsoleViews.QueueRow;
import dev.sluice.store.StoreStats;

import java.util.List;
import java.util.Optional;

/**
 * Everything the console asks of the engine, in one place: the only type that touches {@code Sluice}, so that
 * the console's rules (security, routing, JSON) do not change when the engine grows new admin calls.
 * Implementations are thread-safe; requests call them from the server's threads.
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

    NodesView nodes();

    /** Jobs that report progress (batch runs): the running ones and the latest ones seen finishing. */
    List<JobRow> batches();

    /** The store's counts, for the charts' samples. */
    StoreStats stats();

    /** @return false when the job had finished or is unknown */
    boolean cancel(JobId id);

    /** @return false unless the job is DEAD or CANCELLED */
    boolean retry(JobId id);

    /** @return false when the job has started or is unknown */
    boolean reprioritize(JobId id, Priority priority);

    void pauseQueue(String queue);

    void resumeQueue(String queue);
}
