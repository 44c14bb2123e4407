package dev.sluice.engine;

import dev.sluice.JobRequest;
import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static dev.sluice.engine.EngineTesting.engine;
import static dev.sluice.engine.EngineTesting.storedJobs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad requests and settings are refused with a message that names the bad value, and nothing is stored. */
@Timeout(30)
class BadInputTest {

    private static Sluice newEngine() {
        return engine()
                .maxPayloadBytes(100)
                .handler("email", String.class, (to, ctx) -> to)
                .handler("resize", byte[].class, (image, ctx) -> image.length)
                .build().start();
    }

    @Test
    void nullOrBlankTypeIsRefused() {
        try (Sluice sluice = newEngine()) {
            assertThatThrownBy(() -> sluice.submit(null, "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("job type").hasMessageContaining("null");
            assertThatThrownBy(() -> sluice.submit("   ", "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("job type").hasMessageContaining("'   '");

            assertThat(storedJobs(sluice.stats())).isZero();
        }
    }

    @Test
    void typeWithoutHandlerIsRefusedListingTheRegisteredTypes() {
        try (Sluice sluice = newEngine()) {
            assertThatThrownBy(() -> sluice.submit("emial", "ada@example.com"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'emial'")
                    .hasMessageContaining("email")
                    .hasMessageContaining("resize");

            assertThat(storedJobs(sluice.stats())).isZero();
        }
    }

    @Test
    void payloadOfTheWrongClassIsRefusedNamingBothClasses() {
        try (Sluice sluice = newEngine()) {
            assertThatThrownBy(() -> sluice.submit("email", 42))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'email'")
                    .hasMessageContaining("java.lang.String")
                    .hasMessageContaining("java.lang.Integer");

            assertThat(storedJobs(sluice.stats())).isZero();
        }
    }

    @Test
    void payloadOverMaxPayloadBytesIsRefusedNamingItsSize() {
        try (Sluice sluice = newEngine()) {
            assertThatThrownBy(() -> sluice.submit("resize", new byte[101]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("101 bytes")
                    .hasMessageContaining("maxPayloadBytes 100");

            assertThat(storedJobs(sluice.stats())).isZero();
        }
    }

    @Test
    void payloadOfExactlyMaxPayloadBytesIsAccepted() {
        try (Sluice sluice = newEngine()) {
            sluice.submit("resize", new byte[100]);

            assertThat(storedJobs(sluice.stats())).isEqualTo(1);
        }
    }

    @Test
    void queueNameOutsideTheAllowedAlphabetIsRefused() {
        try (Sluice sluice = newEngine()) {
            assertThatThrownBy(() -> sluice.submit(JobRequest.builder("email").payload("x").queue("Mail Out").build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'Mail Out'")
                    .hasMessageContaining("[a-z0-9_-]{1,64}");
            String tooLong = "q".repeat(65);
            assertThatThrownBy(() -> JobRequest.builder("email").queue(tooLong).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(tooLong);
            assertThatThrownBy(() -> sluice.pauseQueue("Mail Out"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'Mail Out'");

            assertThat(storedJobs(sluice.stats())).isZero();
        }
    }

    @Test
    void submitAllStoresNothingWhenOnlyTheLastRequestIsBad() {
        CountingStore store = new CountingStore(InMemoryJobStore.builder().build());
        try (Sluice sluice = engine()
                .store(store)
                .maxPayloadBytes(100)
                .handler("email", String.class, (to, ctx) -> to)
                .build().start()) {
            List<JobRequest> requests = List.of(
                    JobRequest.of("email", "ada@example.com"),
                    JobRequest.of("email", "grace@example.com"),
                    JobRequest.of("email", "x".repeat(101)));

            assertThatThrownBy(() -> sluice.submitAll(requests))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("101 bytes");
            assertThatThrownBy(() -> sluice.submitAll(List.of(JobRequest.of("email", "ada@example.com"),
                    JobRequest.of("email", "grace@example.com"), JobRequest.of("sms", "+100"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'sms'");

            assertThat(storedJobs(sluice.stats())).isZero();
            assertThat(store.enqueueSizes()).as("the store was never called").isEmpty();
        }
    }

    @Test
    void builderRefusesZeroConcurrencyNamingSettingAndValue() {
        assertThatThrownBy(() -> Sluice.builder().concurrency(0)
                .handler("email", String.class, (to, ctx) -> to).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("concurrency")
                .hasMessageContaining("0");
    }

    @Test
    void builderRefusesALeaseShorterThanAHundredMillisecondsNamingSettingAndValue() {
        assertThatThrownBy(() -> Sluice.builder().leaseDuration(Duration.ofMillis(10))
                .handler("email", String.class, (to, ctx) -> to).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leaseDuration")
                .hasMessageContaining("PT0.01S");
    }

    @Test
    void builderRefusesAWorkerWithoutHandlersPointingToProducerOnly() {
        assertThatThrownBy(() -> Sluice.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no handler registered")
                .hasMessageContaining("producerOnly");
    }

    @Test
    void builderRefusesASecondHandlerForTheSameType() {
        assertThatThrownBy(() -> Sluice.builder()
                .handler("email", String.class, (to, ctx) -> to)
                .handler("email", String.class, (to, ctx) -> to))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'email'");
    }

    @Test
    void producerOnlyNodeAcceptsTypesItHasNoHandlerFor() {
        try (Sluice producer = Sluice.builder().producerOnly(true).build()) {
            producer.submit("anything", "x");

            assertThat(storedJobs(producer.stats())).isEqualTo(1);
        }
    }
}
