package dev.sluice.benchmarks.compare;

import org.jobrunr.configuration.JobRunr;
import org.jobrunr.configuration.JobRunrConfiguration;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import static org.jobrunr.server.BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration;

/**
 * JobRunr (open-source edition) on its PostgreSQL storage provider: 8 workers and the shortest poll interval it
 * accepts (the first of {@link #POLL_INTERVALS} that it takes); jobs are {@link JobRequest}s, enqueued as one stream.
 */
final class JobRunrLibrary implements JobLibrary {

    /** Shortest first: the first one JobRunr accepts is used (the open-source edition: 5 s). */
    private static final Duration[] POLL_INTERVALS = {Duration.ofMillis(100), Duration.ofSeconds(1),
        Duration.ofSeconds(5), Duration.ofSeconds(15)};
    /** Counts runs of the no-op request; JobRunr makes its handlers itself, so the counter is static. */
    static volatile LongAdder ran;

    private StorageProvider storage;
    private BackgroundJobServer server;
    private JobRequestScheduler scheduler;
    private Duration pollInterval;

    @Override
    public String key() {
        return "jobrunr";
    }

    @Override
    public String name() {
        return "JobRunr";
    }

    @Override
    public String version() {
        return CompareJobLibraries.versionOf(key());
    }

    @Override
    public String settings() {
        return "workerCount " + CompareJobLibraries.WORKERS + ", pollInterval " + pollInterval
                + " (the shortest it accepts), JacksonJsonMapper; enqueue: JobRequestScheduler.enqueue(Stream) of all jobs";
    }

    @Override
    public void setUp(DataSource dataSource) {
        storage = new PostgresStorageProvider(dataSource);
        // The open-source edition refuses short intervals when the server is built: try the shortest first.
        for (Duration candidate : POLL_INTERVALS) {
            try {
                JobRunrConfiguration.JobRunrConfigurationResult result = JobRunr.configure()
                        .useJsonMapper(new JacksonJsonMapper())
                        .useStorageProvider(storage)
                        .useBackgroundJobServer(usingStandardBackgroundJobServerConfiguration()
                                .andWorkerCount(CompareJobLibraries.WORKERS).andPollInterval(candidate), false)
                        .initialize();
                pollInterval = candidate;
                server = result.getBackgroundJobServer();
                scheduler = result.getJobRequestScheduler();
                return;
            } catch (IllegalArgumentException e) {
                JobRunr.destroy();
                storage = new PostgresStorageProvider(dataSource);
            }
        }
        throw new IllegalStateException("JobRunr accepted none of the poll intervals " + List.of(POLL_INTERVALS));
    }

    @Override
    public void enqueue(int jobs, LongAdder ran) {
        JobRunrLibrary.ran = ran;
        scheduler.enqueue(Stream.generate(NoopRequest::new).limit(jobs));
    }

    @Override
    public void startWorkers() {
        server.start();
    }

    @Override
    public boolean allFinished(int jobs) {
        return storage.countJobs(StateName.SUCCEEDED) >= jobs;
    }

    @Override
    public void close() {
        JobRunr.destroy();
    }

    /** The no-op job. Public with a no-argument constructor: JobRunr stores it as JSON and makes it again. */
    public static final class NoopRequest implements JobRequest {
        @Override
        public Class<NoopHandler> getJobRequestHandler() {
            return NoopHandler.class;
        }
    }

    /** Runs a {@link NoopRequest}: counts it. */
    public static final class NoopHandler implements JobRequestHandler<NoopRequest> {
        @Override
        public void run(NoopRequest request) {
            ran.increment();
        }
    }
}
