package dev.sluice.batch;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchConfigTest {

    @Test
    void defaultsAreThoseOfTheIssue() {
        BatchConfig c = BatchConfig.defaults();
        assertThat(c.batchSize()).isEqualTo(1000);
        assertThat(c.concurrency()).isEqualTo(4);
        assertThat(c.progressInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.failureThresholdPercent()).isEqualTo(10.0);
        assertThat(c.maxRetriesPerBatch()).isEqualTo(3);
    }

    @Test
    void badValuesAreRejectedNamingFieldAndValue() {
        assertThatThrownBy(() -> BatchConfig.builder().batchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize").hasMessageContaining("0");
        assertThatThrownBy(() -> BatchConfig.builder().batchSize(1_000_001).build())
                .hasMessageContaining("batchSize").hasMessageContaining("1000001");
        assertThatThrownBy(() -> BatchConfig.builder().concurrency(0).build())
                .hasMessageContaining("concurrency").hasMessageContaining("0");
        assertThatThrownBy(() -> BatchConfig.builder().failureThresholdPercent(100.5).build())
                .hasMessageContaining("failureThresholdPercent").hasMessageContaining("100.5");
        assertThatThrownBy(() -> BatchConfig.builder().failureThresholdPercent(-1).build())
                .hasMessageContaining("failureThresholdPercent").hasMessageContaining("-1");
        assertThatThrownBy(() -> BatchConfig.builder().progressInterval(Duration.ofMillis(-5)).build())
                .hasMessageContaining("progressInterval").hasMessageContaining("PT-0.005S");
        assertThatThrownBy(() -> BatchConfig.builder().maxRetriesPerBatch(-1).build())
                .hasMessageContaining("maxRetriesPerBatch").hasMessageContaining("-1");
        assertThatThrownBy(() -> BatchConfig.builder().retryBackoff(Duration.ZERO, Duration.ofSeconds(1), 0.5).build())
                .hasMessageContaining("retryInitialBackoff").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> BatchConfig.builder()
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(1), 1.0).build())
                .hasMessageContaining("retryJitter").hasMessageContaining("1.0");
    }

    @Test
    void microBatcherRejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> MicroBatcher.<String>builder(b -> { }).maxBatchSize(0).build())
                .hasMessageContaining("maxBatchSize").hasMessageContaining("0");
        assertThatThrownBy(() -> MicroBatcher.<String>builder(b -> { }).maxDelay(Duration.ofMillis(-1)).build())
                .hasMessageContaining("maxDelay").hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() -> MicroBatcher.<String>builder(b -> { }).maxBatchSize(10).capacity(5).build())
                .hasMessageContaining("capacity").hasMessageContaining("5");
    }

    @Test
    void defaultClassificationRetriesOnlyIoLikeErrors() {
        BatchConfig c = BatchConfig.defaults();
        assertThat(c.isTransient(new java.io.IOException("reset"))).isTrue();
        assertThat(c.isTransient(new RuntimeException(new java.util.concurrent.TimeoutException()))).isTrue();
        assertThat(c.isTransient(new IllegalStateException("bad row"))).isFalse();
        assertThat(c.isTransient(new dev.sluice.NonRetryableException("no", new java.io.IOException()))).isFalse();
    }
}
