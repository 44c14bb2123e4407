package dev.sluice.benchmarks.compare;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * db-scheduler with its documented high-throughput settings: the lock-and-fetch polling strategy
 * ({@code select ... for update skip locked}, PostgreSQL) with fractions 1.0 / 4.0 "to keep threads busy", a
 * 100 ms polling interval, immediate execution on. One-time tasks; a finished one is deleted from the table.
 */
final class DbSchedulerLibrary implements JobLibrary {

    static final Duration POLLING_INTERVAL = Duration.ofMillis(100);
    static final double LOWER_LIMIT = 1.0;
    static final double UPPER_LIMIT = 4.0;

    // The table of db-scheduler's README for PostgreSQL (the jar ships no DDL).
    private static final String[] DDL = {
        "create table scheduled_tasks (task_name text not null, task_instance text not null, task_data bytea,"
            + " execution_time timestamp with time zone not null, picked boolean not null, picked_by text,"
            + " last_success timestamp with time zone, last_failure timestamp with time zone,"
            + " consecutive_failures int, last_heartbeat timestamp with time zone, version bigint not null,"
            + " priority smallint, primary key (task_name, task_instance))",
        "create index execution_time_idx on scheduled_tasks (execution_time)",
        "create index last_heartbeat_idx on scheduled_tasks (last_heartbeat)",
        "create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc)"
    };

    private DataSource dataSource;
    private OneTimeTask<Void> task;
    private Scheduler scheduler;

    @Override
    public String key() {
        return "db-scheduler";
    }

    @Override
    public String name() {
        return "db-scheduler";
    }

    @Override
    public String version() {
        return CompareJobLibraries.versionOf(key());
    }

    @Override
    public String settings() {
        return "threads " + CompareJobLibraries.WORKERS + ", pollUsingLockAndFetch(" + LOWER_LIMIT + ", "
                + UPPER_LIMIT + "), pollingInterval " + POLLING_INTERVAL.toMillis() + " ms, enableImmediateExecution;"
                + " enqueue: SchedulerClient.scheduleBatch of " + CompareJobLibraries.ENQUEUE_CHUNK + " per call";
    }

    @Override
    public void setUp(DataSource dataSource) throws Exception {
        this.dataSource = dataSource;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String ddl : DDL) {
                s.execute(ddl);
            }
        }
    }

    @Override
    public void enqueue(int jobs, LongAdder ran) {
        task = Tasks.oneTime("noop").execute((instance, context) -> ran.increment());
        SchedulerClient client = SchedulerClient.Builder.create(dataSource, task).build();
        Instant now = Instant.now();
        for (int done = 0; done < jobs; done += CompareJobLibraries.ENQUEUE_CHUNK) {
            int n = Math.min(CompareJobLibraries.ENQUEUE_CHUNK, jobs - done);
            List<TaskInstance<?>> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(task.instance(Integer.toString(done + i)));
            }
            client.scheduleBatch(batch, now);
        }
    }

    @Override
    public void startWorkers() {
        scheduler = Scheduler.create(dataSource, task)
                .threads(CompareJobLibraries.WORKERS)
                .pollUsingLockAndFetch(LOWER_LIMIT, UPPER_LIMIT)
                .pollingInterval(POLLING_INTERVAL)
                .enableImmediateExecution()
                .build();
        scheduler.start();
    }

    @Override
    public boolean allFinished(int jobs) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from scheduled_tasks")) {
            r.next();
            return r.getLong(1) == 0;
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.stop();
        }
    }
}
