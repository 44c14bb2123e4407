package dev.sluice;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Unique jobs through the public API: duplicates return the holder, or throw when asked to. */
class UniqueJobsTest {

    private static Sluice producer() {
        return Sluice.builder().producerOnly(true).build();
    }

    @Test
    void aDuplicateReturnsTheHolderOrThrowsWhenAskedTo() {
        try (Sluice sluice = producer()) {
            JobId holder = sluice.submit(JobRequest.builder("report").uniqueKey("daily").build());

            assertThat(sluice.submit(JobRequest.builder("report").uniqueKey("daily").build())).isEqualTo(holder);
            assertThatThrownBy(() -> sluice.submitAll(List.of(JobRequest.of("other", "x"),
                    JobRequest.builder("report").uniqueKey("daily").failIfDuplicate().build())))
                    .isInstanceOfSatisfying(DuplicateJobException.class, e -> {
                        assertThat(e.holder()).isEqualTo(holder);
                        assertThat(e.uniqueKey()).isEqualTo("daily");
                        assertThat(e.ids()).hasSize(2).endsWith(holder);
                        assertThat(sluice.find(e.ids().get(0))).as("the other job was stored").isPresent();
                    });
        }
    }

    @Test
    void badUniqueSettingsAreRejectedNamingTheValue() {
        assertThatThrownBy(() -> JobRequest.builder("report").uniqueKey("k").uniqueFor(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uniqueFor")
                .hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> JobRequest.builder("report").uniqueFor(Duration.ofHours(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need a uniqueKey");
        assertThatThrownBy(() -> JobRequest.builder("report").uniqueKey("k", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("scope");
    }
}
