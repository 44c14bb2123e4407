package dev.sluice.benchmarks;

import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;

import java.lang.ref.Reference;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Heap held per queued job in the {@link InMemoryJobStore}: queues a million no-op jobs (null payload, stored
 * as one shared empty array, so payload bytes are zero) through a producer-only engine in batches of 10,000 and
 * compares the heap used, after repeated full collections, before and after. Not a JMH benchmark: a heap
 * difference needs one quiet JVM, not iterations.
 *
 * <p>For comparison, in the same run, the same number of distinct no-op tasks queued in a
 * {@link ThreadPoolExecutor}'s {@link LinkedBlockingQueue} behind a blocked worker.
 *
 * <pre>java -Xmx2g -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.QueuedJobMemory [jobs]</pre>
 */
public final class QueuedJobMemory {

    private static final int DEFAULT_JOBS = 1_000_000;
    private static final int BATCH = 10_000;
    private static final String TYPE = "noop";
    private static final double TARGET_BYTES_PER_JOB = 300;

    private QueuedJobMemory() {
    }

    public static void main(String[] args) throws InterruptedException {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_JOBS;
        HeapMeter.printJvm();

        // Load and run the submit path once, so that class initialisation and lazily made statics land in
        // the "before" figure, not in the per-job one.
        queueJobs(BATCH * 2);

        double sluiceBytes = measureSluice(jobs);
        double executorBytes = measureExecutor(jobs);
        System.out.printf("%nSluice InMemoryJobStore: %.1f bytes per queued job (target <= %.0f: %s)%n",
                sluiceBytes, TARGET_BYTES_PER_JOB, sluiceBytes <= TARGET_BYTES_PER_JOB ? "MET" : "MISSED");
        System.out.printf("ThreadPoolExecutor/LinkedBlockingQueue: %.1f bytes per queued task (no id, state,"
                + " retries or lease)%n", executorBytes);
    }

    private static double measureSluice(int jobs) {
        long before = HeapMeter.settledHeapUsed();
        InMemoryJobStore store = queueJobs(jobs);
        long after = HeapMeter.settledHeapUsed();
        long ready = store.stats().total(JobState.READY);
        Reference.reachabilityFence(store);
        double perJob = (double) (after - before) / jobs;
        System.out.printf("%nSluice: %,d jobs queued (%,d READY in the store), heap used %,d -> %,d bytes (+%.1f MB)%n",
                jobs, ready, before, after, (after - before) / 1e6);
        System.out.printf("Sluice: payload bytes per job 0 (null payload); %.1f bytes per job beyond payload%n",
                perJob);
        store.close();
        return perJob;
    }

    /** A producer-only engine on a fresh store, with {@code jobs} queued no-op jobs; the engine is closed. */
    static InMemoryJobStore queueJobs(int jobs) {
        InMemoryJobStore store = InMemoryJobStore.builder().capacity(Math.max(jobs, 1)).build();
        try (Sluice sluice = Sluice.builder().producerOnly(true).store(store).build().start()) {
            List<JobRequest> batch = Collections.nCopies(BATCH, JobRequest.of(TYPE, null));
            for (int queued = 0; queued < jobs; queued += BATCH) {
                sluice.submitAll(queued + BATCH <= jobs ? batch : batch.subList(0, jobs - queued));
            }
        }
        return store;
    }

    private static double measureExecutor(int tasks) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>());
        // Occupy the only worker, so that every later task stays queued.
        executor.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long before = HeapMeter.settledHeapUsed();
        for (int i = 0; i < tasks; i++) {
            executor.execute(new NoopTask());
        }
        long after = HeapMeter.settledHeapUsed();
        int queued = executor.getQueue().size();
        release.countDown();
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
        System.out.printf("%nThreadPoolExecutor: %,d tasks queued, heap used %,d -> %,d bytes (+%.1f MB)%n",
                queued, before, after, (after - before) / 1e6);
        return (double) (after - before) / tasks;
    }

    /** A distinct task object per queued task, as a real task carrying its own data would be. */
    private static final class NoopTask implements Runnable {
        @Override
        public void run() {
        }
    }
}
