package dev.sluice.benchmarks.sizer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecommendationTest {

    @Test
    void ioBoundPlateauPicksTheFirstConcurrencyThatReachesIt() {
        // 5 ms calls behind a pool of 16: throughput stops at 3,200/s, latency doubles past 16
        List<SizingPoint> points = List.of(
                Points.job(1, 198, 5.0, 5.3),
                Points.job(4, 790, 5.0, 5.4),
                Points.job(8, 1_580, 5.0, 5.5),
                Points.job(16, 3_150, 5.0, 5.6),
                Points.job(32, 3_190, 10.0, 11.0),
                Points.job(64, 3_170, 20.0, 21.0));

        Recommendation r = Recommendation.choose(points, 0.01);

        assertThat(r.knee().concurrency()).isEqualTo(16);
        assertThat(r.bestThroughput()).isEqualTo(3_190);
        assertThat(r.candidates()).extracting(SizingPoint::concurrency).containsExactly(16, 32, 64);
    }

    @Test
    void pointsBelowNinetyFivePercentOfTheBestAreNotCandidatesEvenWithLowerLatency() {
        List<SizingPoint> points = List.of(
                Points.job(2, 940, 2.0, 2.0),     // 94% of the best: out, though fastest
                Points.job(4, 1_000, 4.0, 4.0),
                Points.job(8, 960, 8.0, 8.5));   // 96%: in, but slower

        assertThat(Recommendation.choose(points, 0.01).knee().concurrency()).isEqualTo(4);
    }

    @Test
    void exactlyFivePercentBelowTheBestIsStillACandidate() {
        List<SizingPoint> points = List.of(Points.job(2, 950, 2.0, 2.0), Points.job(4, 1_000, 4.0, 4.0));

        assertThat(Recommendation.choose(points, 0.01).knee().concurrency()).isEqualTo(2);
    }

    @Test
    void latenciesWithinFivePercentGoToTheLowerConcurrency() {
        List<SizingPoint> points = List.of(
                Points.job(8, 1_000, 5.0, 5.2),
                Points.job(16, 1_000, 5.0, 5.0));

        assertThat(Recommendation.choose(points, 0.01).knee().concurrency()).isEqualTo(8);
    }

    @Test
    void theMeanCallTimeDecidesNotTheTail() {
        // CPU-bound on 2 cores: at 8 workers calls are preempted (mean 4x), though one noisy stall made 2's p99 worse
        List<SizingPoint> points = List.of(
                Points.job(2, 2_000, 1.0, 5.0),
                Points.job(8, 2_050, 3.9, 4.0));

        assertThat(Recommendation.choose(points, 0.01).knee().concurrency()).isEqualTo(2);
    }

    @Test
    void pointsFailingMoreThanTheLimitAreNotRecommended() {
        List<SizingPoint> points = List.of(
                Points.job(4, 900, 4.0, 4.0),
                Points.job(8, 1_000, 4.0, 3.0, 0.05));

        Recommendation r = Recommendation.choose(points, 0.01);

        assertThat(r.knee().concurrency()).isEqualTo(4);
        assertThat(r.notes()).isEmpty();
    }

    @Test
    void whenEveryPointFailsTooOftenAllAreEligibleAndANoteSaysSo() {
        List<SizingPoint> points = List.of(
                Points.job(4, 900, 4.0, 4.0, 0.2),
                Points.job(8, 1_000, 4.0, 4.0, 0.3));

        Recommendation r = Recommendation.choose(points, 0.01);

        assertThat(r.knee().concurrency()).isEqualTo(8);
        assertThat(r.notes()).singleElement().asString().contains("every point failed more than 1.0%");
    }

    @Test
    void batchSweepsCompareEveryBatchSizeAndConcurrency() {
        List<SizingPoint> points = List.of(
                Points.batch(2, 100, 40_000, 5.0, 6.0, 0),
                Points.batch(4, 100, 70_000, 5.5, 7.0, 0),
                Points.batch(2, 1000, 71_000, 28.0, 30.0, 0),
                Points.batch(4, 1000, 72_000, 55.0, 60.0, 0));

        Recommendation r = Recommendation.choose(points, 0.01);

        assertThat(r.knee().concurrency()).isEqualTo(4);
        assertThat(r.knee().batchSize()).isEqualTo(100);
    }

    @Test
    void anEmptySweepIsRefused() {
        assertThatThrownBy(() -> Recommendation.choose(List.of(), 0.01))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no points");
    }
}
