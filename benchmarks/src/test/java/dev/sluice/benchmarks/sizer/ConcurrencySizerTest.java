package dev.sluice.benchmarks.sizer;

import dev.sluice.batch.BatchAttempt;
import dev.sluice.batch.RecordFailure;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ConcurrencySizerTest {

    @Test
    void jobSweepMeasuresEveryPointAndCountsFailedJobs() throws Exception {
        List<String> logged = new ArrayList<>();
        // every odd-numbered job fails
        SizingReport report = ConcurrencySizer.jobs(String.class, (payload, context) -> {
            if (Long.parseLong(payload) % 2 == 1) {
                throw new IllegalStateException("odd job " + payload);
            }
            return null;
        }, Long::toString)
                .concurrency(1, 2).warmup(Duration.ofMillis(100)).window(Duration.ofMillis(300)).log(logged::add)
                .build().run();

        assertThat(report.points()).extracting(SizingPoint::concurrency).containsExactly(1, 2);
        assertThat(logged).hasSize(2);
        for (SizingPoint p : report.points()) {
            assertThat(p.items()).isPositive();
            assertThat(p.errorRate()).isCloseTo(0.5, within(0.05));
            assertThat(p.calls()).isEqualTo(p.items() + p.failedItems());
            assertThat(p.p99Millis()).isGreaterThanOrEqualTo(p.p50Millis());
            assertThat(p.heapLiveBytes()).isPositive();
        }
        assertThat(report.recommendation().notes()).singleElement().asString().contains("every point failed");
    }

    @Test
    void batchSweepCoversEveryBatchSizeAndCountsFailedRecords() throws Exception {
        // two records of every ten fail: exactly 20% of any batch of 10 or 100
        SizingReport report = ConcurrencySizer.batches((List<Long> records, BatchAttempt attempt) -> {
            List<RecordFailure> failed = new ArrayList<>();
            for (Long r : records) {
                if (r % 10 < 2) {
                    failed.add(RecordFailure.of(r, "two of ten"));
                }
            }
            return failed;
        }, index -> index)
                .concurrency(1, 2).batchSizes(10, 100).warmup(Duration.ofMillis(100)).window(Duration.ofMillis(200))
                .maxErrorRate(0.3).log(line -> { })
                .build().run();

        assertThat(report.points()).extracting(SizingPoint::batchSize).containsExactly(10, 10, 100, 100);
        assertThat(report.points()).allSatisfy(p -> {
            assertThat(p.calls()).isPositive();
            assertThat(p.errorRate()).isCloseTo(0.2, within(1e-9));
        });
        assertThat(report.itemName()).isEqualTo("records");
        assertThat(report.recommendation().notes()).isEmpty();
    }

    @Test
    void badSettingsAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> ConcurrencySizer.jobs(Object.class, (p, c) -> null, i -> null)
                .concurrency(4, 2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrency")
                .hasMessageContaining("[4, 2]");
        assertThatThrownBy(() -> ConcurrencySizer.jobs(Object.class, (p, c) -> null, i -> null)
                .window(Duration.ofMillis(10)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0.01S");
        assertThatThrownBy(() -> ConcurrencySizer.jobs(Object.class, (p, c) -> null, i -> null)
                .maxErrorRate(2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2.0");
    }
}
