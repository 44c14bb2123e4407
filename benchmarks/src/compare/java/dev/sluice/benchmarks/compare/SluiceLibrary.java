package dev.sluice.benchmarks.compare;

import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.jdbc.JdbcJobStore;
import dev.sluice.store.JobStore;

import javax.sql.DataSource;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** Sluice's jdbc-store: a producer-only engine enqueues, then an engine of 8 workers runs the jobs. */
final class SluiceLibrary implements JobLibrary {

    static final int CLAIM_AHEAD = 256;
    private static final String TYPE = "noop";

    private JobStore store;
    private Sluice producer;
    private Sluice workers;
    private LongAdder ran;

    @Override
    public String key() {
        return "sluice";
    }

    @Override
    public String name() {
        return "Sluice jdbc-store";
    }

    @Override
    public String version() {
        return CompareJobLibraries.versionOf(key());
    }

    @Override
    public String settings() {
        return "concurrency " + CompareJobLibraries.WORKERS + ", claimAhead " + CLAIM_AHEAD
                + ", LISTEN/NOTIFY wake-ups, other engine defaults (completion batches of 512); enqueue: submitAll of "
                + CompareJobLibraries.ENQUEUE_CHUNK + " per call";
    }

    @Override
    public void setUp(DataSource dataSource) {
        // The schema is the connection's current schema; createSchema(true) makes the tables there.
        store = JdbcJobStore.builder(dataSource).schema(CompareJobLibraries.schemaOf(this)).createSchema(true)
                .build();
        producer = Sluice.builder().store(store).producerOnly(true).build().start();
    }

    @Override
    public void enqueue(int jobs, LongAdder ran) {
        this.ran = ran;
        for (int done = 0; done < jobs; done += CompareJobLibraries.ENQUEUE_CHUNK) {
            int n = Math.min(CompareJobLibraries.ENQUEUE_CHUNK, jobs - done);
            List<JobRequest> requests = Collections.nCopies(n, JobRequest.of(TYPE, null));
            producer.submitAll(requests);
        }
    }

    @Override
    public void startWorkers() {
        LongAdder counter = ran;
        workers = Sluice.builder().store(store)
                .handler(TYPE, Void.class, (payload, context) -> {
                    counter.increment();
                    return null;
                })
                .concurrency(CompareJobLibraries.WORKERS)
                .claimAhead(CLAIM_AHEAD)
                .build()
                .start();
    }

    @Override
    public boolean allFinished(int jobs) {
        return workers.stats().total(JobState.SUCCEEDED) >= jobs;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
        if (workers != null) {
            workers.close();
        }
        if (store != null) {
            store.close();
        }
    }
}
