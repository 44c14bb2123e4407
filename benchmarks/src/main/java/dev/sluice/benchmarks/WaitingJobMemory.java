package dev.sluice.benchmarks;

import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;

import java.lang.ref.Reference;

/**
 * Heap held per WAITING job of a dependency graph in the {@link InMemoryJobStore}: submits {@code graphs}
 * fan-out/fan-in graphs of 100,000 no-op jobs (the shape of {@link GraphBenchmark}: a root, 99,998 children that
 * wait for it, a sink that waits for all of them) through a producer-only engine, so nothing runs and every job
 * but the roots stays WAITING, and compares the heap used, after repeated full collections, before and after. The
 * figure covers the job and both ends of its edges (the child's list of parents, the parent's array of children).
 * Payloads are null (zero bytes). Not a JMH benchmark: a heap difference needs one quiet JVM, not iterations.
 *
 * <p>For comparison, in the same run: the same number of plain READY jobs (no edges), as {@link QueuedJobMemory}
 * measures them.
 *
 * <pre>java -Xmx2g -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.WaitingJobMemory [graphs]</pre>
 */
public final class WaitingJobMemory {

    private static final int DEFAULT_GRAPHS = 10;
    private static final int GRAPH_SIZE = 100_000;

    private WaitingJobMemory() {
    }

    public static void main(String[] args) {
        int graphs = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_GRAPHS;
        int jobs = graphs * GRAPH_SIZE;
        HeapMeter.printJvm();

        // Run the submit paths once, so that class initialisation lands in the "before" figures.
        submitGraphs(1).close();
        QueuedJobMemory.queueJobs(GRAPH_SIZE).close();

        long before = HeapMeter.settledHeapUsed();
        InMemoryJobStore store = submitGraphs(graphs);
        long after = HeapMeter.settledHeapUsed();
        long waiting = store.stats().total(JobState.WAITING);
        Reference.reachabilityFence(store);
        store.close();
        double perWaiting = (double) (after - before) / jobs;
        System.out.printf("%nGraphs: %,d jobs in %d fan-out/fan-in graphs (%,d WAITING), heap used %,d -> %,d bytes"
                + " (+%.1f MB): %.1f bytes per job%n", jobs, graphs, waiting, before, after, (after - before) / 1e6,
                perWaiting);

        before = HeapMeter.settledHeapUsed();
        InMemoryJobStore plain = QueuedJobMemory.queueJobs(jobs);
        after = HeapMeter.settledHeapUsed();
        Reference.reachabilityFence(plain);
        plain.close();
        double perReady = (double) (after - before) / jobs;
        System.out.printf("Plain jobs: %,d READY jobs without edges: %.1f bytes per job%n", jobs, perReady);
        System.out.printf("%nWAITING job in a graph: %.1f bytes (%.1f more than a plain READY job, for its edges)%n",
                perWaiting, perWaiting - perReady);
    }

    /** A producer-only engine on a fresh store with {@code graphs} graphs submitted; the engine is closed. */
    private static InMemoryJobStore submitGraphs(int graphs) {
        InMemoryJobStore store = InMemoryJobStore.builder().capacity(Math.max(graphs * GRAPH_SIZE, 1)).build();
        try (Sluice sluice = Sluice.builder().producerOnly(true).store(store).build().start()) {
            for (int i = 0; i < graphs; i++) {
                sluice.submit(GraphBenchmark.fanOutFanIn(GRAPH_SIZE));
            }
        }
        return store;
    }
}
