package dev.sluice.batch;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class BatchProcessorTest {

    static List<Integer> records(int n) {
        List<Integer> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(i);
        }
        return list;
    }

    static BatchConfig.Builder config() {
        return BatchConfig.builder().retryBackoff(Duration.ofMillis(1), Duration.ofMillis(4), 0.5);
    }

    @Test
    void countsAreExactAndEveryRecordIsProcessedOnceInItsDeterministicBatch() {
        ConcurrentHashMap<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
        List<long[]> boundaries = new CopyOnWriteArrayList<>();
        BatchReport report = BatchProcessor.of(config().batchSize(100).concurrency(4).build())
                .run(RecordSource.fromList(records(10_050)), (batch, attempt) -> {
                    boundaries.add(new long[]{attempt.batchIndex(), attempt.firstRecordOffset(), batch.get(0)});
                    List<RecordFailure> failures = new ArrayList<>();
                    for (int r : batch) {
                        calls.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet();
                        if (r % 100 == 7) {
                            failures.add(RecordFailure.of(r, "odd row"));
                        }
                    }
                    return failures;
                });

        assertThat(report.status()).isEqualTo(BatchReport.Status.SUCCEEDED);
        assertThat(report.totalRecords()).isEqualTo(10_050);
        assertThat(report.totalBatches()).isEqualTo(101);
        assertThat(report.failedRecords()).isEqualTo(101);
        assertThat(report.succeededRecords()).isEqualTo(10_050 - 101);
        assertThat(report.failedBatches()).isZero();
        assertThat(report.retries()).isZero();
        assertThat(report.failures()).hasSize(100); // capped by maxFailuresInReport
        assertThat(report.recordsPerSecond()).isPositive();
        assertThat(report.p95BatchLatencyMs()).isGreaterThanOrEqualTo(0);
        assertThat(report.peakHeapBytes()).isPositive();
        assertThat(calls).hasSize(10_050).allSatisfy((r, n) -> assertThat(n.get()).isEqualTo(1));
        assertThat(boundaries).allSatisfy(b -> {
            assertThat(b[1]).isEqualTo(b[0] * 100);
            assertThat(b[2]).isEqualTo(b[1]);
        });
        assertThat(report.summary()).containsKeys("status", "totalBatches", "totalRecords", "processingTimeMs");
    }

    @Test
    void metersCountRecordsBatchesAndRetriesUnderTheConfiguredName() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicBoolean failedOnce = new AtomicBoolean();
        BatchConfig config = BatchConfig.builder().batchSize(10).concurrency(2).failureThresholdPercent(100)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(1), 0)
                .metrics(registry, "payments").build();

        BatchProcessor.of(config).run(RecordSource.fromList(IntStream.range(0, 95).boxed().toList()),
                (records, attempt) -> {
                    if (records.get(0) == 20 && failedOnce.compareAndSet(false, true)) {
                        throw new IOException("transient");
                    }
                    return records.get(0) == 0 ? List.of(new RecordFailure("0", "bad")) : List.of();
                });

        assertThat(registry.get("sluice.batch.records").tags("batch", "payments", "outcome", "succeeded").counter()
                .count()).isEqualTo(94);
        assertThat(registry.get("sluice.batch.records").tags("batch", "payments", "outcome", "failed").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("sluice.batch.duration").tag("batch", "payments").timer().count()).isEqualTo(10);
        assertThat(registry.get("sluice.batch.retries").tag("batch", "payments").counter().count()).isEqualTo(1);
        assertThatThrownBy(() -> BatchConfig.builder().metrics(registry, "run 42!").build())
                .hasMessageContaining("'run 42!'");
    }

    @Test
    void neverMoreThanConcurrencyBatchesAreInFlight() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        BatchProcessor.of(config().batchSize(10).concurrency(3).build())
                .run(RecordSource.fromList(records(2_000)), (batch, attempt) -> {
                    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    Thread.yield();
                    inFlight.decrementAndGet();
                    return List.of();
                });
        assertThat(most.get()).isBetween(1, 3);
    }

    @Test
    void readsAreHeldBackWhileAllWorkersAreBusy() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger read = new AtomicInteger();
        RecordSource<Integer> counting = RecordSource.fromIterator(() -> IntStream.range(0, 1000)
                .peek(i -> read.incrementAndGet()).iterator());
        BatchRun run = BatchProcessor.of(config().batchSize(10).concurrency(2).build())
                .start(counting, (batch, attempt) -> {
                    release.await();
                    return List.of();
                });
        // Two batches in the workers and one read ahead; the source is not read further while they block.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> read.get() >= 30);
        assertThat(read.get()).isLessThanOrEqualTo(31); // an iterator may look one record ahead
        release.countDown();
        assertThat(run.await(Duration.ofSeconds(20)).totalRecords()).isEqualTo(1000);
    }

    @Test
    void thresholdTripStopsTheRunEarlyAsFailed() {
        AtomicInteger batches = new AtomicInteger();
        BatchReport report = BatchProcessor.of(config().batchSize(10).concurrency(1)
                        .failureThresholdPercent(20).failureThresholdMinRecords(50).build())
                .run(RecordSource.fromList(records(1000)), (batch, attempt) -> {
                    batches.incrementAndGet();
                    // 3 of 10 records fail: 30% > 20%, but only checked once 50 records were processed
                    return List.of(RecordFailure.of(batch.get(0), "x"), RecordFailure.of(batch.get(1), "x"),
                            RecordFailure.of(batch.get(2), "x"));
                });

        assertThat(report.status()).isEqualTo(BatchReport.Status.FAILED);
        assertThat(report.totalBatches()).isEqualTo(5);
        assertThat(report.totalRecords()).isEqualTo(50);
        assertThat(report.failedRecords()).isEqualTo(15);
        assertThat(batches.get()).isEqualTo(5);
    }

    @Test
    void belowTheThresholdTheRunSucceedsAndListsFailedRecords() {
        BatchReport report = BatchProcessor.of(config().batchSize(10).concurrency(2).failureThresholdPercent(10)
                        .failureThresholdMinRecords(0).build())
                .run(RecordSource.fromList(records(100)), (batch, attempt) ->
                        batch.contains(42) ? List.of(RecordFailure.of(42, "bad amount")) : List.of());
        assertThat(report.status()).isEqualTo(BatchReport.Status.SUCCEEDED);
        assertThat(report.failures()).containsExactly(new RecordFailure("42", "bad amount"));
    }

    @Test
    void onlyTransientErrorsAreRetriedAndPermanentOnesFailTheWholeBatch() {
        ConcurrentHashMap<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();
        BatchReport report = BatchProcessor.of(config().batchSize(10).concurrency(2).maxRetriesPerBatch(3)
                        .failureThresholdPercent(100).build())
                .run(RecordSource.fromList(records(100)), (batch, attempt) -> {
                    int n = attempts.computeIfAbsent(attempt.batchIndex(), k -> new AtomicInteger()).incrementAndGet();
                    assertThat(attempt.attempt()).isEqualTo(n);
                    if (attempt.batchIndex() == 1 && n <= 2) {
                        throw new IOException("connection reset"); // transient: cured by the 2nd retry
                    }
                    if (attempt.batchIndex() == 2) {
                        throw new IOException("still down"); // transient, never cured
                    }
                    if (attempt.batchIndex() == 3) {
                        throw new IllegalStateException("constraint violated"); // permanent
                    }
                    return List.of();
                });

        assertThat(attempts.get(1L).get()).isEqualTo(3);
        assertThat(attempts.get(2L).get()).isEqualTo(4); // first try + maxRetriesPerBatch
        assertThat(attempts.get(3L).get()).isEqualTo(1);
        assertThat(attempts.get(0L).get()).isEqualTo(1);
        assertThat(report.retries()).isEqualTo(2 + 3);
        assertThat(report.failedBatches()).isEqualTo(2);
        assertThat(report.failedRecords()).isEqualTo(20);
        assertThat(report.succeededRecords()).isEqualTo(80);
        assertThat(report.failedBatchList()).extracting(BatchReport.FailedBatch::batchIndex)
                .containsExactlyInAnyOrder(2L, 3L);
        assertThat(report.failedBatchList()).filteredOn(b -> b.batchIndex() == 3).singleElement()
                .satisfies(b -> assertThat(b.reason()).contains("constraint violated"));
    }

    @Test
    void cancelStopsWithinTheBatchesInFlight() throws Exception {
        AtomicInteger processed = new AtomicInteger();
        CountDownLatch tenDone = new CountDownLatch(10);
        CountDownLatch cancelled = new CountDownLatch(1);
        BatchRun[] run = new BatchRun[1];
        run[0] = BatchProcessor.of(config().batchSize(10).concurrency(2).build())
                .start(RecordSource.fromList(records(100_000)), (batch, attempt) -> {
                    processed.incrementAndGet();
                    tenDone.countDown();
                    if (tenDone.getCount() == 0) {
                        cancelled.await(10, TimeUnit.SECONDS);
                    }
                    return List.of();
                });
        tenDone.await(10, TimeUnit.SECONDS);
        run[0].cancel();
        cancelled.countDown();
        BatchReport report = run[0].await(Duration.ofSeconds(20));

        assertThat(report.status()).isEqualTo(BatchReport.Status.CANCELLED);
        // the batches in flight (2) and the one read ahead may still run; nothing after
        assertThat(processed.get()).isLessThanOrEqualTo(10 + 3);
        assertThat(report.totalBatches()).isEqualTo(processed.get());
    }

    @Test
    void progressIsReportedAtMostOncePerInterval() {
        MutableClock clock = new MutableClock();
        List<BatchProgress> reports = Collections.synchronizedList(new ArrayList<>());
        BatchReport report = BatchProcessor.of(config().batchSize(10).concurrency(1)
                        .progressInterval(Duration.ofSeconds(2)).clock(clock).onProgress(reports::add).build())
                .run(RecordSource.fromList(records(200)), (batch, attempt) -> {
                    clock.advance(500); // each batch takes half a second of the test clock
                    return List.of();
                });
        // 20 batches over 10 s of clock: the first commit, then one per 2 s, then the final report
        assertThat(report.totalBatches()).isEqualTo(20);
        assertThat(reports.size()).isBetween(5, 7);
        assertThat(reports.get(reports.size() - 1).doneRecords()).isEqualTo(200);
        assertThat(reports.get(reports.size() - 1).fraction()).isEqualTo(1.0);
        for (int i = 1; i < reports.size() - 1; i++) {
            assertThat(reports.get(i).doneRecords() - reports.get(i - 1).doneRecords()).isGreaterThanOrEqualTo(40);
        }
    }

    @Test
    void pagedSourceKeepsBatchBoundariesOnTheReadersCursor() {
        List<Integer> all = records(95);
        PageReader<Integer> reader = (cursor, max) -> {
            int from = cursor == null ? 0 : Integer.parseInt(cursor);
            int to = Math.min(all.size(), from + Math.min(max, 7)); // pages of 7 at most
            return from >= all.size() ? PageReader.Page.last(List.of())
                    : new PageReader.Page<>(all.subList(from, to), Integer.toString(to));
        };
        List<Integer> firsts = new CopyOnWriteArrayList<>();
        AtomicLong sum = new AtomicLong();
        BatchReport report = BatchProcessor.of(config().batchSize(20).concurrency(2).build())
                .run(RecordSource.paged(reader), (batch, attempt) -> {
                    firsts.add(batch.get(0));
                    batch.forEach(sum::addAndGet);
                    return List.of();
                });
        assertThat(report.totalRecords()).isEqualTo(95);
        assertThat(firsts).containsExactlyInAnyOrder(0, 20, 40, 60, 80);
        assertThat(sum.get()).isEqualTo(95L * 94 / 2);
    }

    static final class MutableClock extends Clock {
        private final AtomicLong millis = new AtomicLong(1_000_000);

        void advance(long ms) {
            millis.addAndGet(ms);
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
