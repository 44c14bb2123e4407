package dev.sluice.internal.ops;

import dev.sluice.JobState;
import dev.sluice.store.QueueStats;
import dev.sluice.store.StoreStats;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class QueueRatesTest {

    private static final long SECOND = 1_000_000_000L;

    private static StoreStats stats(long ready, long succeeded, long dead) {
        return new StoreStats(Map.of("mail", new QueueStats("mail",
                Map.of(JobState.READY, ready, JobState.SUCCEEDED, succeeded, JobState.DEAD, dead), null, false)),
                Instant.EPOCH);
    }

    @Test
    void ratesAreTheChangeOfCountsOverTheWindow() {
        QueueRates rates = new QueueRates();
        rates.add(0, stats(100, 0, 0));
        rates.add(10 * SECOND, stats(150, 40, 10));

        QueueRates.Rates mail = rates.of("mail");

        assertThat(mail.submittedPerSecond()).isCloseTo(10.0, within(1e-9));
        assertThat(mail.finishedPerSecond()).isCloseTo(5.0, within(1e-9));
        assertThat(rates.of("unknown")).isEqualTo(new QueueRates.Rates(0, 0));
    }

    @Test
    void oldSamplesLeaveTheWindowButOneAtItsStartStays() {
        QueueRates rates = new QueueRates();
        rates.add(0, stats(0, 0, 0));
        rates.add(30 * SECOND, stats(0, 600, 0));
        rates.add(61 * SECOND, stats(0, 1200, 0));
        rates.add(95 * SECOND, stats(0, 1540, 0));

        // The window starts at 35 s: the 30 s sample is the one at or before it.
        assertThat(rates.of("mail").finishedPerSecond()).isCloseTo(940 / 65.0, within(1e-9));
        assertThat(rates.latest().queues().get("mail").count(JobState.SUCCEEDED)).isEqualTo(1540);
    }

    @Test
    void aPurgeReadsAsNoProgressRatherThanANegativeRate() {
        QueueRates rates = new QueueRates();
        rates.add(0, stats(0, 1000, 0));
        rates.add(5 * SECOND, stats(0, 10, 0));

        assertThat(rates.of("mail")).isEqualTo(new QueueRates.Rates(0, 0));
    }

    @Test
    void oneSampleGivesNoRate() {
        QueueRates rates = new QueueRates();
        assertThat(rates.latest()).isNull();
        rates.add(0, stats(5, 5, 5));

        assertThat(rates.of("mail")).isEqualTo(new QueueRates.Rates(0, 0));
    }
}
