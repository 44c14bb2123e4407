package dev.sluice.graph;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.Sluice;
import dev.sluice.store.Dependency;
import dev.sluice.store.EnqueueResult;
import dev.sluice.store.ForwardingJobStore;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.JobStore;
import dev.sluice.store.NewJob;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared pieces of the graph tests that run an engine. */
final class GraphTesting {

    /** Long enough for anything these tests wait for on a loaded two-core machine; never reached when they pass. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private GraphTesting() {
    }

    /** An engine builder whose close gives up on blocked handlers after a second, so that a failing test ends fast. */
    static Sluice.Builder engine() {
        return Sluice.builder().drainTimeout(Duration.ofSeconds(1));
    }

    static JobRequest job(String type, Object payload) {
        return JobRequest.of(type, payload);
    }

    /** An in-memory store that counts enqueue and parentsOf calls, to check round trips. */
    static final class CountingStore extends ForwardingJobStore {
        final List<Integer> enqueueSizes = new CopyOnWriteArrayList<>();
        final AtomicInteger parentsOfCalls = new AtomicInteger();

        CountingStore() {
            super(InMemoryJobStore.builder().build());
        }

        @Override
        public List<EnqueueResult> enqueue(List<NewJob> jobs) {
            enqueueSizes.add(jobs.size());
            return super.enqueue(jobs);
        }

        @Override
        public List<Dependency> parentsOf(JobId child) {
            parentsOfCalls.incrementAndGet();
            return super.parentsOf(child);
        }
    }

    /** An in-memory store that keeps that many finished jobs for queries. */
    static JobStore memory(int retainFinished) {
        return InMemoryJobStore.builder().retainFinished(retainFinished).build();
    }
}
