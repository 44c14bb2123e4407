package dev.sluice.store.contract;

import dev.sluice.JobId;
import dev.sluice.UniqueScope;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.EnqueueResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Unique-key scopes: held only while waiting, or held on after success for a period. */
abstract class UniqueScopeContract extends ContractTheme {

    private EnqueueResult enqueueResult(JobSpec spec) {
        return store.enqueue(List.of(spec.build())).get(0);
    }

    @Test
    void aWhileWaitingKeyIsHeldUntilItsJobStarts() {
        JobId first = enqueueOne(job().uniqueKey("refresh", UniqueScope.WHILE_WAITING));
        EnqueueResult duplicate = enqueueResult(job().uniqueKey("refresh", UniqueScope.WHILE_WAITING));
        assertThat(duplicate.duplicate()).isTrue();
        assertThat(duplicate.id()).isEqualTo(first);

        ClaimedJob running = claimOne();
        EnqueueResult next = enqueueResult(job().uniqueKey("refresh", UniqueScope.WHILE_WAITING));

        assertThat(next.duplicate()).as("queued while the first runs").isFalse();
        assertThat(enqueueResult(job().uniqueKey("refresh", UniqueScope.WHILE_WAITING)).id()).isEqualTo(next.id());
        succeed(running);
        assertThat(enqueueResult(job().uniqueKey("refresh")).id()).as("still held by the queued one")
                .isEqualTo(next.id());
    }

    @Test
    void aWhileWaitingJobSentBackToWaitDoesNotTakeItsKeyBack() {
        enqueueOne(job().uniqueKey("refresh", UniqueScope.WHILE_WAITING).maxAttempts(3));
        ClaimedJob running = claimOne();
        JobId second = enqueueOne(job().uniqueKey("refresh", UniqueScope.WHILE_WAITING));

        complete(Completion.retry(running.id(), running.fencingToken(), "flaky", now()));

        assertThat(enqueueResult(job().uniqueKey("refresh")).id()).isEqualTo(second);
    }

    @Test
    void aKeyIsHeldOnAfterSuccessForItsHoldOnTheStoresClock() {
        JobId first = enqueueOne(job().uniqueKey("daily-report").uniqueHoldMillis(3_600_000));
        succeed(claimOne());

        EnqueueResult duplicate = enqueueResult(job().uniqueKey("daily-report"));
        assertThat(duplicate.duplicate()).isTrue();
        assertThat(duplicate.id()).isEqualTo(first);
        clock.advanceMillis(3_599_999);
        assertThat(enqueueResult(job().uniqueKey("daily-report")).duplicate()).isTrue();
        clock.advanceMillis(1);

        EnqueueResult afterHold = enqueueResult(job().uniqueKey("daily-report"));
        assertThat(afterHold.duplicate()).isFalse();
        assertThat(afterHold.id()).isNotEqualTo(first);
    }

    @Test
    void aFailedJobDoesNotHoldItsKeyOn() {
        JobId dead = enqueueOne(job().uniqueKey("daily-report").uniqueHoldMillis(3_600_000));
        complete(Completion.dead(dead, claimOne().fencingToken(), "boom"));

        assertThat(enqueueResult(job().uniqueKey("daily-report")).duplicate()).isFalse();
    }

    @Test
    void aHeldKeyAfterSuccessStillAllowsOtherKeys() {
        enqueueOne(job().uniqueKey("report-a").uniqueHoldMillis(Duration.ofDays(1).toMillis()));
        succeed(claimOne());

        assertThat(enqueueResult(job().uniqueKey("report-b")).duplicate()).isFalse();
    }
}
