package dev.sluice.batch;

import dev.sluice.JobCancelledException;
import dev.sluice.JobContext;
import dev.sluice.JobHandler;
import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.sluice.batch.BatchProcessorTest.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class BatchJobTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Simulates the JVM dying right after a checkpoint write reached the store. */
    static final class Crash extends Error {
        Crash() {
            super("simulated crash");
        }
    }

    @Test
    void resumeAfterACrashNeverProcessesACommittedBatchAgain() throws Exception {
        ConcurrentHashMap<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
        BatchProcessor processor = BatchProcessor.of(BatchProcessorTest.config().batchSize(10).concurrency(4).build());
        JobHandler<String> job = processor.asJobHandler(p -> RecordSource.fromList(records(1_000)),
                (batch, attempt) -> {
                    batch.forEach(r -> calls.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet());
                    return batch.contains(555) ? List.of(RecordFailure.of(555, "bad")) : List.of();
                });

        StoredCheckpoint store = new StoredCheckpoint();
        FakeContext first = new FakeContext(store, 37); // dies after its 37th durable checkpoint
        assertThatThrownBy(() -> job.handle("x", first)).isInstanceOf(Crash.class);
        Checkpoint atCrash = Checkpoint.decode(store.bytes.get());
        assertThat(atCrash.committedBatches()).isEqualTo(37);

        FakeContext second = new FakeContext(store, Integer.MAX_VALUE); // "another node"
        String result = (String) job.handle("x", second);

        assertThat(result).contains("\"status\":\"SUCCEEDED\"").contains("\"totalRecords\":1000")
                .contains("\"totalBatches\":100").contains("\"failedRecords\":1");
        assertThat(calls).hasSize(1000);
        // Every record of a batch in the crash checkpoint was processed exactly once in the two runs.
        for (int b = 0; b < 100; b++) {
            boolean committed = b < atCrash.watermark() || contains(atCrash.committedAbove(), b);
            for (int r = b * 10; r < b * 10 + 10; r++) {
                if (committed) {
                    assertThat(calls.get(r).get()).as("record %d of committed batch %d", r, b).isEqualTo(1);
                } else {
                    assertThat(calls.get(r).get()).as("record %d", r).isBetween(1, 2);
                }
            }
        }
        assertThat(second.progress).isEqualTo(1.0);
    }

    private static boolean contains(long[] values, long v) {
        for (long x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aJobShowsProgressAndIsCancelledWithinABatchKeepingItsCheckpointThenResumesOnAnotherNode()
            throws Exception {
        InMemoryJobStore store = InMemoryJobStore.builder().build();
        ConcurrentHashMap<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
        CountDownLatch gate = new CountDownLatch(1);
        AtomicReference<Boolean> blocking = new AtomicReference<>(true);
        BatchProcessor processor = BatchProcessor.of(BatchProcessorTest.config().batchSize(100).concurrency(2)
                .progressInterval(Duration.ZERO).build());
        BatchHandler<Integer> handler = (batch, attempt) -> {
            batch.forEach(r -> calls.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet());
            if (blocking.get() && attempt.batchIndex() >= 20) {
                gate.await(20, TimeUnit.SECONDS); // hold the run here until the test cancels it
            }
            return List.of();
        };
        JobId id;
        try (Sluice nodeA = Sluice.builder().store(store).drainTimeout(Duration.ofSeconds(5))
                .leaseDuration(Duration.ofSeconds(3))
                .handler("import", String.class,
                        processor.asJobHandler(p -> RecordSource.fromList(records(10_000)), handler),
                        RetryPolicy.none(), null)
                .build().start()) {
            id = nodeA.submit(JobRequest.of("import", "file-1"));
            await().atMost(PATIENCE).until(() -> store.find(id).map(j -> j.checkpoint() != null).orElse(false)
                    && Checkpoint.decode(store.find(id).get().checkpoint()).watermark() >= 20);
            nodeA.cancel(id);
            gate.countDown();
            JobInfo cancelled = nodeA.await(id, PATIENCE);
            assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        }
        Checkpoint kept = Checkpoint.decode(store.find(id).orElseThrow().checkpoint());
        assertThat(kept.watermark()).isBetween(20L, 24L); // stopped within the batches in flight
        assertThat(calls.size()).isLessThanOrEqualTo(2_500);

        blocking.set(false);
        try (Sluice nodeB = Sluice.builder().store(store).drainTimeout(Duration.ofSeconds(5))
                .handler("import", String.class,
                        processor.asJobHandler(p -> RecordSource.fromList(records(10_000)), handler),
                        RetryPolicy.none(), null)
                .build().start()) {
            assertThat(nodeB.retry(id)).isTrue();
            JobInfo done = nodeB.await(id, PATIENCE);
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.progress()).isEqualTo(1.0);
            assertThat(done.result(String.class)).get().asString()
                    .contains("\"totalRecords\":10000").contains("\"totalBatches\":100");
        }
        assertThat(calls).hasSize(10_000);
        assertThat(calls.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    }

    @Test
    void aRunOverTheThresholdEndsTheJobDeadWithItsReport() throws Exception {
        BatchProcessor processor = BatchProcessor.of(BatchProcessorTest.config().batchSize(10).concurrency(1)
                .failureThresholdPercent(5).failureThresholdMinRecords(10).build());
        try (Sluice sluice = Sluice.builder().drainTimeout(Duration.ofSeconds(5))
                .handler("import", String.class, processor.asJobHandler(p -> RecordSource.fromList(records(100)),
                        (batch, attempt) -> List.of(RecordFailure.of(batch.get(0), "bad"))))
                .build().start()) {
            JobInfo dead = sluice.await(sluice.submit(JobRequest.of("import", "f")), PATIENCE);
            assertThat(dead.state()).isEqualTo(JobState.DEAD);
            assertThat(dead.attempts()).isEqualTo(1);
            assertThat(dead.lastError()).get().asString().contains("\"status\":\"FAILED\"")
                    .contains("\"totalBatches\":1");
        }
    }

    /** The stored checkpoint of one job, shared by its attempts like a store would. */
    static final class StoredCheckpoint {
        final AtomicReference<byte[]> bytes = new AtomicReference<>();
    }

    /** A JobContext whose checkpoint lives in a {@link StoredCheckpoint}. */
    static final class FakeContext implements JobContext {
        private final StoredCheckpoint store;
        private final int crashAfter;
        private int saves;
        volatile double progress;

        FakeContext(StoredCheckpoint store, int crashAfter) {
            this.store = store;
            this.crashAfter = crashAfter;
        }

        @Override
        public JobId jobId() {
            return JobId.parse("00000000-0000-0000-0000-000000000001");
        }

        @Override
        public String jobType() {
            return "import";
        }

        @Override
        public String queue() {
            return "default";
        }

        @Override
        public Optional<String> tenant() {
            return Optional.empty();
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public int maxAttempts() {
            return 3;
        }

        @Override
        public Optional<Instant> deadline() {
            return Optional.empty();
        }

        @Override
        public void reportProgress(long done, long total) {
            progress = (double) done / total;
        }

        @Override
        public Optional<byte[]> checkpoint() {
            return Optional.ofNullable(store.bytes.get());
        }

        @Override
        public void saveCheckpoint(byte[] checkpoint) {
            if (saves >= crashAfter) {
                throw new Crash(); // dead: nothing more reaches the store
            }
            store.bytes.set(checkpoint);
            if (++saves == crashAfter) {
                throw new Crash();
            }
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isLeaseLost() {
            return false;
        }

        @Override
        public boolean isTimedOut() {
            return false;
        }

        @Override
        public void throwIfStopped() {
            if (shouldStop()) {
                throw new JobCancelledException("stopped");
            }
        }
    }
}
