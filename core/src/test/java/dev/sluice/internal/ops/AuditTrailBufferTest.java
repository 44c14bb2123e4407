package dev.sluice.internal.ops;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.ops.OperationsConfig;
import dev.sluice.store.ForwardingJobStore;
import dev.sluice.store.HistoryEntry;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.JobStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuditTrailBufferTest {

    private final InMemoryJobStore memory = InMemoryJobStore.builder().build();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private volatile boolean failing;
    private final JobStore store = new ForwardingJobStore(memory) {
        @Override
        public void appendHistory(List<HistoryEntry> entries) {
            if (failing) {
                throw new IllegalStateException("store down");
            }
            super.appendHistory(entries);
        }
    };

    private AuditTrail trail(int batchSize, int limit) {
        AuditTrail trail = new AuditTrail(OperationsConfig.builder().auditBatchSize(batchSize)
                .auditBufferLimit(limit).build());
        trail.bind(store, "node-a", registry);
        return trail;
    }

    @Test
    void aChangePlacedAfterAnOpenReservationWaitsForIt() {
        AuditTrail trail = trail(1, 100);
        JobId id = JobId.next();
        long creation = trail.reserve(1);
        // The dispatcher claims the job before the submitting thread has recorded its creation.
        trail.transition(20, -1, id, JobState.READY, JobState.RUNNING, 1, null);
        trail.flushSettled();
        assertThat(memory.history(id)).isEmpty();

        trail.transition(10, creation, id, null, JobState.READY, 0, null);
        trail.settle(creation);
        trail.flushSettled();

        assertThat(memory.history(id)).extracting(HistoryEntry::to).containsExactly(JobState.READY, JobState.RUNNING);
        assertThat(memory.history(id)).extracting(HistoryEntry::node).containsOnly("node-a");
    }

    @Test
    void entriesTheStoreRefusedAreWrittenByALaterFlush() {
        AuditTrail trail = trail(2, 100);
        JobId id = JobId.next();
        for (int attempt = 1; attempt <= 3; attempt++) {
            trail.transition(attempt, -1, id, JobState.READY, JobState.RUNNING, attempt, null);
        }
        failing = true;
        assertThat(trail.flush()).isFalse();
        assertThat(trail.pending()).isEqualTo(3);

        failing = false;
        assertThat(trail.flush()).isTrue();

        assertThat(memory.history(id)).extracting(HistoryEntry::attempt).containsExactly(1, 2, 3);
        assertThat(trail.pending()).isZero();
    }

    @Test
    void entriesBeyondTheBufferLimitAreDroppedAndCounted() {
        AuditTrail trail = trail(1, 2);
        JobId id = JobId.next();
        for (int attempt = 1; attempt <= 5; attempt++) {
            trail.transition(attempt, -1, id, JobState.READY, JobState.RUNNING, attempt, null);
        }

        assertThat(trail.flush()).isTrue();

        assertThat(memory.history(id)).extracting(HistoryEntry::attempt).containsExactly(1, 2);
        assertThat(registry.get("sluice.audit.dropped").counter().count()).isEqualTo(3.0);
    }
}
