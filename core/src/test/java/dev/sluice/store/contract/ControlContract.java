package dev.sluice.store.contract;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.store.CancelResult;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.LeaseRef;
import dev.sluice.store.LeaseStatus;
import dev.sluice.store.StoredJob;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Operator calls: cancel, reprioritize, retry. */
abstract class ControlContract extends ContractTheme {

    @Test
    void cancellingAReadyJobCancelsItAtOnce() {
        JobId id = enqueueOne(job());
        JobId other = enqueueOne(job());
        clock.advanceMillis(5);

        assertThat(store.cancel(id)).isEqualTo(CancelResult.CANCELLED);

        StoredJob job = stored(id);
        assertThat(job.state()).isEqualTo(JobState.CANCELLED);
        assertThat(job.finishedAt().toEpochMilli()).isEqualTo(now());
        assertThat(ids(claim(10))).containsExactly(other);
    }

    @Test
    void cancellingAScheduledJobCancelsItAtOnce() {
        JobId id = enqueueOne(job().delay(Duration.ofMinutes(5)));

        assertThat(store.cancel(id)).isEqualTo(CancelResult.CANCELLED);

        assertThat(stateOf(id)).isEqualTo(JobState.CANCELLED);
        clock.advanceMillis(600_000);
        assertThat(claim(10).jobs()).isEmpty();
    }

    @Test
    void cancellingARunningJobRequestsCancellationSeenAtTheNextRenewal() {
        JobId id = enqueueOne(job());
        ClaimedJob claimed = claimOne();

        assertThat(store.cancel(id)).isEqualTo(CancelResult.CANCEL_REQUESTED);
        assertThat(stateOf(id)).isEqualTo(JobState.RUNNING);
        assertThat(stored(id).cancelRequested()).isTrue();
        assertThat(store.renewLeases(List.of(new LeaseRef(id, claimed.fencingToken())), LEASE_MILLIS))
                .containsExactly(LeaseStatus.CANCEL_REQUESTED);

        complete(Completion.cancelled(id, claimed.fencingToken(), "cancelled while running"));
        assertThat(stateOf(id)).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void cancellingAFinishedJobChangesNothing() {
        JobId id = enqueueOne(job());
        succeed(claimOne());

        assertThat(store.cancel(id)).isEqualTo(CancelResult.ALREADY_FINISHED);
        assertThat(stateOf(id)).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void cancellingAnUnknownJobReportsNotFound() {
        assertThat(store.cancel(JobId.next())).isEqualTo(CancelResult.NOT_FOUND);
    }

    @Test
    void cancellingAJobFreesItsUniqueKey() {
        JobId id = enqueueOne(job().uniqueKey("nightly"));
        store.cancel(id);

        assertThat(store.enqueue(List.of(job().uniqueKey("nightly").build())).get(0).duplicate()).isFalse();
    }

    @Test
    void reprioritizingAReadyJobChangesItsPlace() {
        JobId first = enqueueOne(job().priority(Priority.LOW));
        JobId second = enqueueOne(job().priority(Priority.LOW));
        JobId third = enqueueOne(job().priority(Priority.LOW));

        assertThat(store.reprioritize(third, Priority.CRITICAL)).isTrue();
        assertThat(store.reprioritize(first, Priority.LOW)).isTrue();

        assertThat(stored(third).priority()).isEqualTo(Priority.CRITICAL);
        assertThat(ids(claim(10))).containsExactly(third, first, second);
    }

    @Test
    void reprioritizingAScheduledJobAppliesWhenItIsDue() {
        JobId normal = enqueueOne(job().delay(Duration.ofSeconds(10)));
        JobId low = enqueueOne(job().priority(Priority.LOW).delay(Duration.ofSeconds(10)));

        assertThat(store.reprioritize(low, Priority.HIGH)).isTrue();
        clock.advanceMillis(10_000);

        assertThat(ids(claim(10))).containsExactly(low, normal);
    }

    @Test
    void reprioritizingAJobThatStartedOrIsUnknownReturnsFalse() {
        JobId id = enqueueOne(job());
        claimOne();

        assertThat(store.reprioritize(id, Priority.HIGH)).isFalse();
        assertThat(stored(id).priority()).isEqualTo(Priority.NORMAL);
        assertThat(store.reprioritize(JobId.next(), Priority.HIGH)).isFalse();
    }

    @Test
    void retryingADeadJobMakesItReadyWithAttemptsReset() {
        JobId id = enqueueOne(job().maxAttempts(2));
        ClaimedJob claimed = claimOne();
        complete(Completion.dead(id, claimed.fencingToken(), "bad data"));

        assertThat(store.retry(id)).isTrue();

        StoredJob job = stored(id);
        assertThat(job.state()).isEqualTo(JobState.READY);
        assertThat(job.attempts()).isZero();
        ClaimedJob again = claimOne();
        assertThat(again.id()).isEqualTo(id);
        assertThat(again.attempt()).isEqualTo(1);
    }

    @Test
    void retryingACancelledJobMakesItReady() {
        JobId id = enqueueOne(job());
        store.cancel(id);

        assertThat(store.retry(id)).isTrue();

        assertThat(stateOf(id)).isEqualTo(JobState.READY);
        assertThat(ids(claim(10))).containsExactly(id);
    }

    @Test
    void retryingAJobThatIsNotDeadOrCancelledReturnsFalse() {
        JobId succeeded = enqueueOne(job());
        succeed(claimOne());
        JobId running = enqueueOne(job());
        claimOne();
        JobId ready = enqueueOne(job());

        assertThat(store.retry(ready)).as("a job that has not started").isFalse();
        assertThat(store.retry(running)).as("a running job").isFalse();
        assertThat(store.retry(succeeded)).as("a succeeded job").isFalse();
        assertThat(store.retry(JobId.next())).as("an unknown job").isFalse();
        assertThat(stateOf(ready)).isEqualTo(JobState.READY);
        assertThat(stateOf(running)).isEqualTo(JobState.RUNNING);
        assertThat(stateOf(succeeded)).isEqualTo(JobState.SUCCEEDED);
    }
}
