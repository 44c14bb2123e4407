package dev.sluice.store.contract;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.UniqueScope;
import dev.sluice.graph.FailurePolicy;
import dev.sluice.store.ClaimBatch;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.Dependency;
import dev.sluice.store.EnqueueResult;
import dev.sluice.store.JobStore;
import dev.sluice.store.NewJob;
import dev.sluice.store.QueueClaim;
import dev.sluice.store.StoredJob;
import dev.sluice.store.WriteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fixture and vocabulary of the store contract tests: a fresh store per test on a {@link MutableClock}, and
 * short helpers to make jobs, claim and complete them. Store modules may extend it for their own tests.
 */
public abstract class StoreContractSupport {

    /** Where every test's clock starts. */
    protected static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    /** The aging step of {@link #store}. */
    protected static final Duration AGING_STEP = Duration.ofSeconds(60);
    protected static final String QUEUE = "default";
    protected static final String NODE = "node-a";
    protected static final long LEASE_MILLIS = 30_000;

    protected MutableClock clock;
    /** A fresh, empty store with aging step {@link #AGING_STEP}. */
    protected JobStore store;

    private final List<JobStore> opened = new ArrayList<>();

    /** A fresh, empty store on the clock, with the aging step. */
    protected abstract JobStore newStore(Clock clock, Duration agingStep);

    /** Releases a store made by {@link #newStore}. Default: {@link JobStore#close()}. */
    protected void closeStore(JobStore store) throws Exception {
        store.close();
    }

    @BeforeEach
    void openDefaultStore() {
        clock = new MutableClock(START);
        store = openStore(AGING_STEP);
    }

    @AfterEach
    void closeOpenedStores() throws Exception {
        for (JobStore each : opened) {
            closeStore(each);
        }
        opened.clear();
    }

    /** Another fresh store on the test's clock, closed after the test. */
    protected JobStore openStore(Duration agingStep) {
        JobStore opening = newStore(clock, agingStep);
        opened.add(opening);
        return opening;
    }

    // ---------------------------------------------------------------- making jobs

    /** A job of type "test" in the default queue, NORMAL, ready now, one attempt. */
    protected JobSpec job() {
        return new JobSpec();
    }

    /** A new job's settings; {@link #build()} makes the {@link NewJob}. */
    protected final class JobSpec {
        private JobId id = JobId.next();
        private String type = "test";
        private String queue = QUEUE;
        private Priority priority = Priority.NORMAL;
        private byte[] payload = "payload".getBytes(StandardCharsets.UTF_8);
        private long runAtMillis;
        private int maxAttempts = 1;
        private long timeoutMillis;
        private String uniqueKey;
        private String tenant;
        private final List<Dependency> parents = new ArrayList<>();
        private UniqueScope uniqueScope = UniqueScope.UNTIL_FINISHED;
        private long uniqueHoldMillis;

        public JobSpec id(JobId value) {
            id = value;
            return this;
        }

        public JobSpec type(String value) {
            type = value;
            return this;
        }

        public JobSpec queue(String value) {
            queue = value;
            return this;
        }

        public JobSpec priority(Priority value) {
            priority = value;
            return this;
        }

        public JobSpec payload(byte[] value) {
            payload = value;
            return this;
        }

        /** Runs this long after the clock's now. */
        public JobSpec delay(Duration delay) {
            runAtMillis = clock.millis() + delay.toMillis();
            return this;
        }

        public JobSpec runAtMillis(long value) {
            runAtMillis = value;
            return this;
        }

        public JobSpec maxAttempts(int value) {
            maxAttempts = value;
            return this;
        }

        public JobSpec timeoutMillis(long value) {
            timeoutMillis = value;
            return this;
        }

        public JobSpec uniqueKey(String value) {
            uniqueKey = value;
            return this;
        }

        /** A unique key held for the given scope. */
        public JobSpec uniqueKey(String value, UniqueScope scope) {
            uniqueKey = value;
            uniqueScope = scope;
            return this;
        }

        /** Keeps the unique key held this long after success. */
        public JobSpec uniqueHoldMillis(long value) {
            uniqueHoldMillis = value;
            return this;
        }

        public JobSpec tenant(String value) {
            tenant = value;
            return this;
        }

        /** Waits for these jobs, cancelled when one of them fails (CANCEL_DEPENDENTS). */
        public JobSpec after(JobId... parentIds) {
            return after(FailurePolicy.CANCEL_DEPENDENTS, parentIds);
        }

        /** Waits for these jobs, with the given policy on their edges. */
        public JobSpec after(FailurePolicy policy, JobId... parentIds) {
            for (JobId parent : parentIds) {
                parents.add(new Dependency(parent, policy));
            }
            return this;
        }

        public JobId id() {
            return id;
        }

        public NewJob build() {
            return new NewJob(id, type, queue, priority, payload, runAtMillis, maxAttempts, timeoutMillis, uniqueKey,
                    tenant, clock.millis(), parents, uniqueScope, uniqueHoldMillis);
        }
    }

    // ---------------------------------------------------------------- store calls

    /** Enqueues the jobs in one call, asserting that none is a duplicate; returns their ids in order. */
    protected List<JobId> enqueue(JobSpec... specs) {
        List<NewJob> jobs = new ArrayList<>();
        for (JobSpec spec : specs) {
            jobs.add(spec.build());
        }
        return enqueue(jobs);
    }

    protected List<JobId> enqueue(List<NewJob> jobs) {
        List<EnqueueResult> results = store.enqueue(jobs);
        assertThat(results).hasSameSizeAs(jobs).noneMatch(EnqueueResult::duplicate);
        List<JobId> ids = new ArrayList<>();
        for (EnqueueResult result : results) {
            ids.add(result.id());
        }
        return ids;
    }

    protected JobId enqueueOne(JobSpec spec) {
        return enqueue(spec).get(0);
    }

    /** {@code count} NORMAL jobs of the default queue in one call. */
    protected List<JobId> enqueueMany(int count) {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(job().build());
        }
        return enqueue(jobs);
    }

    protected static QueueClaim queueClaim(String queue, int max) {
        return new QueueClaim(queue, max, Integer.MAX_VALUE, Map.of());
    }

    /** Claims up to {@code max} jobs of the default queue as {@link #NODE}. */
    protected ClaimBatch claim(int max) {
        return store.claim(new ClaimRequest(NODE, LEASE_MILLIS, max, List.of(queueClaim(QUEUE, max))));
    }

    protected ClaimBatch claim(int maxTotal, QueueClaim... queues) {
        return store.claim(new ClaimRequest(NODE, LEASE_MILLIS, maxTotal, Arrays.asList(queues)));
    }

    /** Claims exactly one job of the default queue. */
    protected ClaimedJob claimOne() {
        List<ClaimedJob> jobs = claim(1).jobs();
        assertThat(jobs).as("claimed jobs").hasSize(1);
        return jobs.get(0);
    }

    protected static List<JobId> ids(ClaimBatch batch) {
        return ids(batch.jobs());
    }

    protected static List<JobId> ids(List<ClaimedJob> jobs) {
        List<JobId> ids = new ArrayList<>();
        for (ClaimedJob job : jobs) {
            ids.add(job.id());
        }
        return ids;
    }

    /** Completes in one call and asserts the write was accepted. */
    protected void complete(Completion completion) {
        assertThat(store.completeAll(List.of(completion))).containsExactly(WriteResult.ACCEPTED);
    }

    protected void succeed(ClaimedJob job) {
        complete(Completion.succeeded(job.id(), job.fencingToken(), new byte[0]));
    }

    protected StoredJob stored(JobId id) {
        return store.find(id).orElseThrow(() -> new AssertionError("job " + id + " not found"));
    }

    protected JobState stateOf(JobId id) {
        return stored(id).state();
    }

    protected long now() {
        return clock.millis();
    }

    /**
     * Runs {@code threads} tasks at once (released together by a latch) and returns their results in task order;
     * fails when they do not all end within 30 s.
     */
    protected static <T> List<T> concurrently(int threads, IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                Callable<T> call = () -> {
                    start.await();
                    return task.apply(index);
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
