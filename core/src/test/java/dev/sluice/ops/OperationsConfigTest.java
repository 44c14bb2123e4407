package dev.sluice.ops;

import dev.sluice.JobRequest;
import dev.sluice.Sluice;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperationsConfigTest {

    private static final JobRequest REPORT = JobRequest.of("report", "daily");

    @Test
    void badCronIsRejectedNamingTheExpressionAndTheJob() {
        assertThatThrownBy(() -> RecurringJob.cron("nightly", "0 25 * * *", ZoneOffset.UTC, REPORT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nightly'").hasMessageContaining("'0 25 * * *'").hasMessageContaining("25");
        assertThatThrownBy(() -> RecurringJob.cron("nightly", "0 2 * *", ZoneOffset.UTC, REPORT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'0 2 * *'").hasMessageContaining("4 fields");
        assertThatThrownBy(() -> RecurringJob.cron("nightly", " ", ZoneOffset.UTC, REPORT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("' '");
    }

    @Test
    void intervalsShorterThanASecondAreRejected() {
        assertThatThrownBy(() -> RecurringJob.every("sync", Duration.ZERO, REPORT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'sync'").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> RecurringJob.every("sync", Duration.ofMillis(-5), REPORT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.005S");
    }

    @Test
    void recurringJobsCheckTheirIdScheduleAndRequest() {
        assertThatThrownBy(() -> RecurringJob.every("bad id!", Duration.ofMinutes(1), REPORT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad id!'");
        assertThatThrownBy(() -> RecurringJob.builder("both", REPORT).every(Duration.ofMinutes(1))
                .cron("* * * * *", ZoneOffset.UTC).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both");
        assertThatThrownBy(() -> RecurringJob.builder("neither", REPORT).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neither");
        JobRequest keyed = JobRequest.builder("report").uniqueKey("mine").build();
        assertThatThrownBy(() -> RecurringJob.builder("keyed", keyed).every(Duration.ofMinutes(1)).noOverlap(true)
                .build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'mine'");
        JobRequest pinned = JobRequest.builder("report").runAt(java.time.Instant.EPOCH).build();
        assertThatThrownBy(() -> RecurringJob.every("pinned", Duration.ofMinutes(1), pinned))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runAt");
    }

    @Test
    void misfirePoliciesRejectBadLimits() {
        assertThatThrownBy(() -> MisfirePolicy.catchUp(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
        assertThatThrownBy(() -> MisfirePolicy.skip(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
    }

    @Test
    void retentionRejectsNegativeValuesNamingTheSetting() {
        assertThatThrownBy(() -> RetentionPolicy.builder().finishedFor(Duration.ofDays(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("finishedFor").hasMessageContaining("PT-24H");
        assertThatThrownBy(() -> RetentionPolicy.builder().deadFor(Duration.ofDays(-90)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deadFor");
        assertThatThrownBy(() -> RetentionPolicy.builder().keepNewestPerType(-2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keepNewestPerType").hasMessageContaining("-2");
        assertThatThrownBy(() -> RetentionPolicy.builder().batchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> RetentionPolicy.builder().interval(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval");
    }

    @Test
    void operationsConfigRejectsBadValuesNamingTheSetting() {
        assertThatThrownBy(() -> OperationsConfig.builder().leaderLease(Duration.ofMillis(100)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leaderLease").hasMessageContaining("PT0.1S");
        assertThatThrownBy(() -> OperationsConfig.builder().heartbeatInterval(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heartbeatInterval");
        assertThatThrownBy(() -> OperationsConfig.builder().auditBatchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auditBatchSize");
        assertThatThrownBy(() -> OperationsConfig.builder().auditBatchSize(100).auditBufferLimit(10).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auditBufferLimit");
        assertThatThrownBy(() -> OperationsConfig.builder().drainBatchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drainBatchSize");
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        OperationsConfig config = OperationsConfig.defaults();
        RetentionPolicy retention = config.retention();

        assertThat(config.leaderLease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.auditTrail()).isFalse();
        assertThat(retention.enabled()).isTrue();
        assertThat(retention.finishedFor()).isEqualTo(Duration.ofDays(30));
        assertThat(retention.keepNewestPerType()).isEqualTo(1000);
        assertThat(retention.deadFor()).isEqualTo(Duration.ofDays(90));
        assertThat(RecurringJob.every("sync", Duration.ofMinutes(5), REPORT).misfire()).isEqualTo(MisfirePolicy.skip());
    }

    @Test
    void theEngineRejectsRecurringJobsItCannotSubmit() {
        Sluice.Builder builder = Sluice.builder()
                .handler("report", String.class, (payload, ctx) -> null)
                .recurring(RecurringJob.cron("nightly", "0 2 * * *", ZoneId.of("Europe/Paris"),
                        JobRequest.of("unknown-type", "x")));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nightly'").hasMessageContaining("'unknown-type'");
        assertThatThrownBy(() -> Sluice.builder()
                .recurring(RecurringJob.every("twice", Duration.ofMinutes(1), REPORT))
                .recurring(RecurringJob.every("twice", Duration.ofMinutes(2), REPORT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'twice'");
    }
}
