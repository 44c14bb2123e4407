package dev.sluice.benchmarks.compare;

import javax.sql.DataSource;
import java.util.concurrent.atomic.LongAdder;

/**
 * One job library in the side-by-side comparison, driven through the same steps: set up on its own schema with
 * the workers stopped, bulk-enqueue N no-op jobs, start {@value CompareJobLibraries#WORKERS} workers, and report
 * when its store holds every job as finished.
 */
interface JobLibrary extends AutoCloseable {

    /** A short lower-case key: the {@code --libraries} value and the schema's suffix. */
    String key();

    /** The library's name, as in the results table. */
    String name();

    /** The version on the classpath. */
    String version();

    /** The settings used, in one line for the results. */
    String settings();

    /** Creates the library's tables in the schema behind {@code dataSource} and builds its scheduler, stopped. */
    void setUp(DataSource dataSource) throws Exception;

    /** Stores {@code jobs} no-op jobs with the library's bulk call(s); every run of one increments {@code ran}. */
    void enqueue(int jobs, LongAdder ran) throws Exception;

    /** Starts the workers. */
    void startWorkers() throws Exception;

    /** True when the library's store holds all {@code jobs} as finished (or removed, where finished jobs go). */
    boolean allFinished(int jobs) throws Exception;

    /** Stops the scheduler; the schema is dropped by the caller. */
    @Override
    void close() throws Exception;
}
