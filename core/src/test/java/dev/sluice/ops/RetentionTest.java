package dev.sluice.ops;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.NonRetryableException;
import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.StoredJob;
import dev.sluice.store.contract.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.sluice.ops.OpsTesting.PATIENCE;
import static dev.sluice.ops.OpsTesting.engine;
import static dev.sluice.ops.OpsTesting.fastOperations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RetentionTest {

    private static final RetentionPolicy POLICY = RetentionPolicy.builder()
            .finishedFor(Duration.ofDays(30))
            .keepNewestPerType(2)
            .deadFor(Duration.ofDays(90))
            .batchSize(2) // several batches per purge
            .pauseBetweenBatches(Duration.ZERO)
            .build();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryJobStore store = InMemoryJobStore.builder().clock(clock).build();
    private Sluice sluice;

    @BeforeEach
    void startEngine() {
        sluice = engine(store).clock(clock)
                .leaseDuration(Duration.ofDays(365)) // the clock jumps by days: no running job may lose its lease
                .handler("a", String.class, (payload, ctx) -> null)
                .handler("b", String.class, (payload, ctx) -> null)
                .handler("boom", String.class, (payload, ctx) -> {
                    throw new NonRetryableException("boom");
                })
                .operations(fastOperations().retention(POLICY).build())
                .build().start();
    }

    @AfterEach
    void closeEngine() {
        sluice.close();
    }

    private JobId finish(String type) throws InterruptedException {
        JobId id = sluice.submit(JobRequest.of(type, "x"));
        sluice.await(id, PATIENCE);
        return id;
    }

    private boolean stored(JobId id) {
        return store.find(id).isPresent();
    }

    @Test
    void purgesByAgeAndCountPerTypeAndKeepsDeadJobsLonger() throws InterruptedException {
        JobId a1 = finish("a");
        JobId a2 = finish("a");
        JobId a3 = finish("a");
        JobId dead = finish("boom");
        JobId cancelled = sluice.submit(JobRequest.builder("b").payload("x").delay(Duration.ofDays(1)).build());
        sluice.cancel(cancelled);
        JobId unserved = sluice.submit(JobRequest.builder("a").payload("x").queue("held").build());
        assertThat(store.find(dead).orElseThrow().state()).isEqualTo(JobState.DEAD);

        clock.advance(Duration.ofDays(31));
        JobId a4 = finish("a");
        JobId a5 = finish("a");
        JobId b1 = finish("b");

        assertThat(sluice.admin().purge(POLICY)).isEqualTo(new PurgeReport(4, 0));
        assertThat(List.of(a1, a2, a3, cancelled)).noneMatch(this::stored);
        assertThat(List.of(a4, a5, b1, dead, unserved)).allMatch(this::stored);

        JobId a6 = finish("a");
        assertThat(sluice.admin().purge(POLICY)).isEqualTo(new PurgeReport(1, 0));
        assertThat(stored(a4)).isFalse(); // the third newest "a"
        assertThat(List.of(a5, a6, b1)).allMatch(this::stored);

        clock.advance(Duration.ofDays(60)); // day 91: everything finished is too old, DEAD included
        assertThat(sluice.admin().purge(POLICY)).isEqualTo(new PurgeReport(3, 1));
        assertThat(List.of(a5, a6, b1, dead)).noneMatch(this::stored);
        Optional<StoredJob> survivor = store.find(unserved);
        assertThat(survivor).hasValueSatisfying(j -> assertThat(j.state()).isEqualTo(JobState.READY));
        assertThat(sluice.admin().purgeNow()).isEqualTo(new PurgeReport(0, 0));
    }

    @Test
    void theLeaderPurgesOnItsInterval() throws InterruptedException {
        sluice.close();
        sluice = engine(store).clock(clock)
                .leaseDuration(Duration.ofDays(365))
                .handler("a", String.class, (payload, ctx) -> null)
                .operations(fastOperations()
                        .retention(RetentionPolicy.builder().finishedFor(Duration.ofDays(1))
                                .interval(Duration.ofMillis(50)).build())
                        .build())
                .build().start();
        JobId old = finish("a");
        await().atMost(PATIENCE).until(() -> sluice.admin().leads());
        assertThat(stored(old)).isTrue();

        clock.advance(Duration.ofHours(25));

        await().atMost(PATIENCE).until(() -> !stored(old));
    }

    @Test
    void aDisabledPolicyPurgesNothing() throws InterruptedException {
        JobId done = finish("a");
        clock.advance(Duration.ofDays(400));

        assertThat(sluice.admin().purge(RetentionPolicy.none())).isEqualTo(new PurgeReport(0, 0));
        assertThat(stored(done)).isTrue();
    }
}
