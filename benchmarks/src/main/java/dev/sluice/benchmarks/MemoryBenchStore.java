package dev.sluice.benchmarks;

import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.JobStore;

/** The in-memory store: a new one per call, so emptying is replacing. */
final class MemoryBenchStore implements BenchStore {

    /** Room for 2 s iterations of bulk enqueue at several million jobs/s (the default capacity is 1M). */
    static final int CAPACITY = 12_000_000;

    @Override
    public JobStore newStore() {
        return InMemoryJobStore.builder().capacity(CAPACITY).build();
    }

    @Override
    public boolean empty() {
        return false;
    }

    @Override
    public void close() {
    }
}
