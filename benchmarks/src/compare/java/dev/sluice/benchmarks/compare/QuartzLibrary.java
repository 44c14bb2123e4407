package dev.sluice.benchmarks.compare;

import org.quartz.Job;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import static org.quartz.JobBuilder.newJob;
import static org.quartz.TriggerBuilder.newTrigger;

/**
 * Quartz with its JDBC job store ({@code JobStoreTX}, {@code PostgreSQLDelegate}, the tables script Quartz ships),
 * tuned as its configuration reference documents for throughput: 8 threads, triggers acquired in batches of 8
 * (which requires {@code acquireTriggersWithinLock}), not clustered. Each job is a non-durable job with one
 * fire-now trigger, both deleted once it ran. The misfire threshold is an hour so that a backlog waiting longer
 * than the default minute is not treated as misfired.
 */
final class QuartzLibrary implements JobLibrary {

    private static final String DATA_SOURCE = "compare";
    /** Counts runs of the no-op job; Quartz makes job instances itself, so the counter is static. */
    static volatile LongAdder ran;

    private DataSource dataSource;
    private Scheduler scheduler;

    @Override
    public String key() {
        return "quartz";
    }

    @Override
    public String name() {
        return "Quartz (JDBC JobStoreTX)";
    }

    @Override
    public String version() {
        return CompareJobLibraries.versionOf(key());
    }

    @Override
    public String settings() {
        return "threadCount " + CompareJobLibraries.WORKERS + ", batchTriggerAcquisitionMaxCount "
                + CompareJobLibraries.WORKERS + " with acquireTriggersWithinLock, not clustered, misfireThreshold 1 h;"
                + " enqueue: scheduleJobs of " + CompareJobLibraries.ENQUEUE_CHUNK + " jobs per call";
    }

    @Override
    public void setUp(DataSource dataSource) throws Exception {
        this.dataSource = dataSource;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : tablesScript().split(";")) {
                if (!sql.isBlank() && !sql.trim().equalsIgnoreCase("commit")) {
                    s.execute(sql);
                }
            }
        }
        DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE, new PoolProvider(dataSource));
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "compare");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(CompareJobLibraries.WORKERS));
        p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount",
                Integer.toString(CompareJobLibraries.WORKERS));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", DATA_SOURCE);
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.jobStore.isClustered", "false");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "3600000");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        scheduler = new StdSchedulerFactory(p).getScheduler();
    }

    /** The PostgreSQL tables script from the Quartz jar, without its comment lines. */
    private static String tablesScript() throws IOException {
        try (InputStream in = Scheduler.class.getResourceAsStream("/org/quartz/impl/jdbcjobstore/tables_postgres.sql")) {
            if (in == null) {
                throw new IllegalStateException("tables_postgres.sql is not in the Quartz jar");
            }
            StringBuilder sql = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.trim().startsWith("--")) {
                    sql.append(line).append('\n');
                }
            }
            return sql.toString();
        }
    }

    @Override
    public void enqueue(int jobs, LongAdder ran) throws Exception {
        QuartzLibrary.ran = ran;
        for (int done = 0; done < jobs; done += CompareJobLibraries.ENQUEUE_CHUNK) {
            int n = Math.min(CompareJobLibraries.ENQUEUE_CHUNK, jobs - done);
            Map<JobDetail, Set<? extends Trigger>> batch = new HashMap<>();
            for (int i = 0; i < n; i++) {
                String name = Integer.toString(done + i);
                JobDetail job = newJob(NoopJob.class).withIdentity(name).build();
                batch.put(job, Set.of(newTrigger().withIdentity(name).forJob(job).startNow().build()));
            }
            scheduler.scheduleJobs(batch, false);
        }
    }

    @Override
    public void startWorkers() throws Exception {
        scheduler.start();
    }

    @Override
    public boolean allFinished(int jobs) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select (select count(*) from qrtz_triggers)"
                     + " + (select count(*) from qrtz_fired_triggers)")) {
            r.next();
            return r.getLong(1) == 0;
        }
    }

    @Override
    public void close() throws Exception {
        if (scheduler != null) {
            scheduler.shutdown(true);
        }
    }

    /** The no-op job: counts its runs. Public with a no-argument constructor, as Quartz requires. */
    public static final class NoopJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            ran.increment();
        }
    }

    /** Hands Quartz the comparison's own pool, so every library gets the same connections. */
    private record PoolProvider(DataSource pool) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return pool.getConnection();
        }

        @Override
        public void shutdown() {
            // the pool belongs to the comparison, which closes it
        }

        @Override
        public void initialize() {
        }
    }
}
