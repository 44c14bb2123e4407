package dev.sluice;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobRequestTest {

    @Test
    void defaultsAreDefaultQueueNormalPriorityRunNow() {
        JobRequest r = JobRequest.of("email", "x");
        assertThat(r.queue()).isEqualTo("default");
        assertThat(r.priority()).isEqualTo(Priority.NORMAL);
        assertThat(r.runAt()).isNull();
        assertThat(r.delay()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void blankTypeIsRejected(String type) {
        assertThatThrownBy(() -> JobRequest.of(type, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("job type");
    }

    @Test
    void nullTypeIsRejected() {
        assertThatThrownBy(() -> JobRequest.of(null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Upper", "has space", "dots.are.out", "", "x-very-long-name-that-goes-on-and-on-and-on-and-on-for-more-than-64-chars"})
    void queueOutsideThePatternIsRejectedNamingIt(String queue) {
        assertThatThrownBy(() -> JobRequest.builder("t").queue(queue).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[a-z0-9_-]{1,64}")
                .hasMessageContaining("'" + queue + "'");
    }

    @Test
    void negativeDelayTimeoutAndAttemptsAreRejectedNamingTheValue() {
        assertThatThrownBy(() -> JobRequest.builder("t").delay(Duration.ofMillis(-5)).build())
                .hasMessageContaining("delay").hasMessageContaining("PT-0.005S");
        assertThatThrownBy(() -> JobRequest.builder("t").timeout(Duration.ZERO).build())
                .hasMessageContaining("timeout").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> JobRequest.builder("t").maxAttempts(-1))
                .hasMessageContaining("maxAttempts").hasMessageContaining("-1");
    }

    @Test
    void runAtAndDelayAreExclusive() {
        assertThatThrownBy(() -> JobRequest.builder("t").runAt(Instant.EPOCH).delay(Duration.ofSeconds(1)).build())
                .hasMessageContaining("runAt").hasMessageContaining("delay");
    }

    @Test
    void controlCharactersInTenantAreRejected() {
        assertThatThrownBy(() -> JobRequest.builder("t").tenant("a\nb").build())
                .hasMessageContaining("tenant");
    }
}
