package dev.sluice.benchmarks.sizer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LittleCheckTest {

    @Test
    void busyWorkersAreThroughputTimesServiceTime() {
        SizingPoint p = Points.job(16, 3_000, 5.0, 6.0);

        assertThat(p.busyWorkers()).isCloseTo(15.0, within(1e-9));
    }

    @Test
    void agreesWhenTheKneeIsTheSmallestConcurrencyCoveringTheWorkersNeeded() {
        List<SizingPoint> points = List.of(
                Points.job(1, 200, 5.0, 5.2),
                Points.job(8, 1_580, 5.0, 5.5),
                Points.job(16, 3_150, 5.0, 5.6),
                Points.job(32, 3_190, 10.0, 11.0));

        LittleCheck check = LittleCheck.of(points.get(2), points);

        assertThat(check.neededWorkers()).isCloseTo(15.75, within(1e-9));
        assertThat(check.predictedConcurrency()).isEqualTo(16);
        assertThat(check.utilization()).isCloseTo(15.75 / 16, within(1e-9));
        assertThat(check.agrees()).isTrue();
        assertThat(check.note()).startsWith("agrees");
    }

    @Test
    void neededWorkersWithinFivePercentAboveASweptValueStillMatchIt() {
        // 3,300 calls/s × 5 ms = 16.5 workers: 16 is within 5% of it
        List<SizingPoint> points = List.of(Points.job(1, 200, 5.0, 5.0), Points.job(16, 3_300, 4.85, 5.0));

        assertThat(LittleCheck.of(points.get(1), points).predictedConcurrency()).isEqualTo(16);
    }

    @Test
    void idleWorkersAtTheKneeFailTheCheck() {
        // a short handler: 0.02 ms calls at 100,000/s keep two workers of eight busy
        List<SizingPoint> points = List.of(Points.job(1, 45_000, 0.02, 0.03), Points.job(8, 100_000, 0.02, 0.03));

        LittleCheck check = LittleCheck.of(points.get(1), points);

        assertThat(check.utilization()).isCloseTo(0.25, within(1e-9));
        assertThat(check.agrees()).isFalse();
        assertThat(check.note()).contains("busy only 25%");
    }

    @Test
    void aKneeAboveThePredictionSaysCallsSlowDownWithConcurrency() {
        // calls take 5 ms alone but 8 ms at 8 workers: 1,000/s × 5 ms = 5 workers predicted, 8 measured
        List<SizingPoint> points = List.of(
                Points.job(1, 200, 5.0, 5.0),
                Points.job(4, 650, 6.0, 6.5),
                Points.job(8, 1_000, 8.0, 8.5));

        LittleCheck check = LittleCheck.of(points.get(2), points);

        assertThat(check.predictedConcurrency()).isEqualTo(8);
        assertThat(check.agrees()).isTrue();
        LittleCheck stricter = LittleCheck.of(points.get(2), List.of(points.get(0), Points.job(6, 700, 8.0, 9.0),
                points.get(2)));
        assertThat(stricter.predictedConcurrency()).isEqualTo(6);
        assertThat(stricter.agrees()).isFalse();
        assertThat(stricter.note()).contains("calls slow down as concurrency grows");
    }

    @Test
    void aKneeBelowThePredictionPointsAtAColdLowestPoint() {
        // alone 10 ms (cold JIT), at the knee 5 ms: 1,600/s × 10 ms = 16 workers predicted for a knee of 8
        List<SizingPoint> points = List.of(
                Points.job(1, 100, 10.0, 12.0),
                Points.job(8, 1_600, 5.0, 5.5),
                Points.job(16, 1_620, 9.9, 11.0));

        LittleCheck check = LittleCheck.of(points.get(1), points);

        assertThat(check.predictedConcurrency()).isEqualTo(16);
        assertThat(check.agrees()).isFalse();
        assertThat(check.note()).contains("not warmed up");
    }

    @Test
    void workersNeededBeyondTheSweepDisagreeAndSaySo() {
        // alone 6 ms (noisy), at the knee 2.6 ms: 2,800/s × 6 ms = 16.8 workers, the sweep stops at 8
        List<SizingPoint> points = List.of(Points.job(2, 300, 6.0, 100.0), Points.job(8, 2_800, 2.6, 3.8));

        LittleCheck check = LittleCheck.of(points.get(1), points);

        assertThat(check.predictedConcurrency()).isZero();
        assertThat(check.agrees()).isFalse();
        assertThat(check.note()).contains("more than the sweep's largest concurrency");
    }

    @Test
    void batchPointsAreCheckedAgainstTheirOwnBatchSize() {
        List<SizingPoint> points = List.of(
                Points.batch(1, 1000, 100_000, 10.0, 11.0, 0),   // 100 batches/s × 10 ms = 1 worker
                Points.batch(1, 100, 10_000, 99.0, 100.0, 0),     // another batch size: ignored
                Points.batch(4, 1000, 390_000, 10.0, 11.0, 0));

        LittleCheck check = LittleCheck.of(points.get(2), points);

        assertThat(check.baseMeanMillis()).isEqualTo(10.0);
        assertThat(check.neededWorkers()).isCloseTo(3.9, within(1e-9));
        assertThat(check.predictedConcurrency()).isEqualTo(4);
        assertThat(check.agrees()).isTrue();
    }
}
