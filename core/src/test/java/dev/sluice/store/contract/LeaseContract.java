package dev.sluice.store.contract;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.LeaseRef;
import dev.sluice.store.LeaseStatus;
import dev.sluice.store.ProgressUpdate;
import dev.sluice.store.RecoveredJob;
import dev.sluice.store.StoredJob;
import dev.sluice.store.WriteResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Claims under leases, fenced writes, completions, renewal and recovery of expired leases. */
abstract class LeaseContract extends ContractTheme {

    @Test
    void claimStartsAnAttemptUnderALeaseOwnedByTheNode() {
        JobId id = enqueueOne(job().maxAttempts(3).timeoutMillis(500).tenant("acme"));
        clock.advanceMillis(250);

        ClaimedJob claimed = claimOne();

        assertThat(claimed.id()).isEqualTo(id);
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(claimed.maxAttempts()).isEqualTo(3);
        assertThat(claimed.timeoutMillis()).isEqualTo(500);
        assertThat(claimed.tenant()).isEqualTo("acme");
        assertThat(claimed.fencingToken()).isPositive();
        assertThat(claimed.leaseExpiresAtMillis()).isEqualTo(now() + LEASE_MILLIS);
        assertThat(claimed.createdAtMillis()).isEqualTo(START.toEpochMilli());
        assertThat(claimed.readyAtMillis()).isEqualTo(START.toEpochMilli());
        StoredJob running = stored(id);
        assertThat(running.state()).isEqualTo(JobState.RUNNING);
        assertThat(running.attempts()).isEqualTo(1);
        assertThat(running.leaseOwner()).isEqualTo(NODE);
        assertThat(running.leaseExpiresAt().toEpochMilli()).isEqualTo(now() + LEASE_MILLIS);
        assertThat(running.startedAt().toEpochMilli()).isEqualTo(now());
        assertThat(running.fencingToken()).isEqualTo(claimed.fencingToken());
    }

    @Test
    void fencingTokensStrictlyIncreaseAcrossClaimsAndReclaims() {
        enqueueMany(3);
        List<Long> tokens = new ArrayList<>();
        for (ClaimedJob job : claim(2).jobs()) {
            tokens.add(job.fencingToken());
        }
        ClaimedJob third = claimOne();
        tokens.add(third.fencingToken());
        complete(Completion.released(third.id(), third.fencingToken(), now()));
        tokens.add(claimOne().fencingToken());

        assertThat(tokens).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void completionWithAStaleTokenIsRefusedAndChangesNothing() {
        JobId id = enqueueOne(job().maxAttempts(3));
        ClaimedJob first = claimOne();
        complete(Completion.released(id, first.fencingToken(), now()));
        ClaimedJob second = claimOne();

        List<WriteResult> results = store.completeAll(List.of(
                Completion.succeeded(id, first.fencingToken(), new byte[] {1}),
                Completion.dead(id, first.fencingToken(), "late"),
                Completion.succeeded(JobId.next(), 1, null)));

        assertThat(results).containsExactly(WriteResult.STALE, WriteResult.STALE, WriteResult.STALE);
        StoredJob job = stored(id);
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        assertThat(job.fencingToken()).isEqualTo(second.fencingToken());
        assertThat(job.result()).isNull();
        assertThat(job.lastError()).isNull();
        succeed(second);
        assertThat(store.completeAll(List.of(Completion.succeeded(id, second.fencingToken(), null))))
                .as("a second completion of a finished attempt").containsExactly(WriteResult.STALE);
    }

    @Test
    void oneCallCompletesManyJobsWithOneResultEachInOrder() {
        enqueueMany(3);
        List<ClaimedJob> jobs = claim(3).jobs();

        List<WriteResult> results = store.completeAll(List.of(
                Completion.succeeded(jobs.get(0).id(), jobs.get(0).fencingToken(), null),
                Completion.succeeded(jobs.get(1).id(), jobs.get(1).fencingToken() + 1_000, null),
                Completion.dead(jobs.get(2).id(), jobs.get(2).fencingToken(), "bad input")));

        assertThat(results).containsExactly(WriteResult.ACCEPTED, WriteResult.STALE, WriteResult.ACCEPTED);
        assertThat(stateOf(jobs.get(0).id())).isEqualTo(JobState.SUCCEEDED);
        assertThat(stateOf(jobs.get(1).id())).isEqualTo(JobState.RUNNING);
        assertThat(stateOf(jobs.get(2).id())).isEqualTo(JobState.DEAD);
    }

    /**
     * An error text is whatever a handler's exception said, quoted payload bytes included. Found by the fault
     * harness: PostgreSQL's text type refuses NUL, so such a completion failed on every retry and held up every
     * completion of its node behind it.
     */
    @Test
    void errorTextWithAnyCharacterIsAccepted() {
        enqueueMany(2);
        List<ClaimedJob> jobs = claim(2).jobs();

        List<WriteResult> results = store.completeAll(List.of(
                Completion.dead(jobs.get(0).id(), jobs.get(0).fencingToken(), "bad byte \0 in 'x\0y'"),
                Completion.retry(jobs.get(1).id(), jobs.get(1).fencingToken(), "nul\0", now())));

        assertThat(results).containsExactly(WriteResult.ACCEPTED, WriteResult.ACCEPTED);
        StoredJob dead = stored(jobs.get(0).id());
        assertThat(dead.state()).isEqualTo(JobState.DEAD);
        assertThat(dead.lastError()).startsWith("bad byte ").endsWith("y'");
        assertThat(stored(jobs.get(1).id()).lastError()).startsWith("nul");
    }

    @Test
    void successKeepsTheResultAndTheFinishTime() {
        JobId id = enqueueOne(job());
        ClaimedJob claimed = claimOne();
        clock.advanceMillis(40);
        byte[] result = "42".getBytes(StandardCharsets.UTF_8);

        complete(Completion.succeeded(id, claimed.fencingToken(), result));

        StoredJob job = stored(id);
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(job.result()).isEqualTo(result);
        assertThat(job.finishedAt().toEpochMilli()).isEqualTo(now());
        assertThat(job.attempts()).isEqualTo(1);
    }

    @Test
    void deadAndCancelledCompletionsKeepTheirError() {
        JobId dead = enqueueOne(job().maxAttempts(5));
        JobId cancelled = enqueueOne(job());
        List<ClaimedJob> jobs = claim(2).jobs();

        store.completeAll(List.of(Completion.dead(dead, jobs.get(0).fencingToken(), "not retryable: bad iban"),
                Completion.cancelled(cancelled, jobs.get(1).fencingToken(), "cancelled by user")));

        assertThat(stored(dead).state()).isEqualTo(JobState.DEAD);
        assertThat(stored(dead).lastError()).isEqualTo("not retryable: bad iban");
        assertThat(stored(cancelled).state()).isEqualTo(JobState.CANCELLED);
        assertThat(stored(cancelled).lastError()).isEqualTo("cancelled by user");
    }

    @Test
    void progressIsSavedUnderTheLeaseAndRefusedWithAStaleToken() {
        JobId id = enqueueOne(job().maxAttempts(2));
        ClaimedJob claimed = claimOne();
        byte[] cursor = "row-500".getBytes(StandardCharsets.UTF_8);

        assertThat(store.saveProgress(List.of(new ProgressUpdate(id, claimed.fencingToken(), 0.5, cursor))))
                .containsExactly(WriteResult.ACCEPTED);
        assertThat(store.saveProgress(List.of(new ProgressUpdate(id, claimed.fencingToken(), 0.6, null))))
                .containsExactly(WriteResult.ACCEPTED);
        assertThat(store.saveProgress(List.of(new ProgressUpdate(id, claimed.fencingToken() - 1, 0.9,
                new byte[] {9})))).containsExactly(WriteResult.STALE);

        StoredJob job = stored(id);
        assertThat(job.progress()).isEqualTo(0.6);
        assertThat(job.checkpoint()).as("a null checkpoint keeps the previous one").isEqualTo(cursor);
    }

    @Test
    void renewalExtendsTheLeaseSoItIsNotRecovered() {
        JobId id = enqueueOne(job());
        ClaimedJob claimed = claimOne();
        clock.advanceMillis(LEASE_MILLIS - 1_000);

        assertThat(store.renewLeases(List.of(new LeaseRef(id, claimed.fencingToken())), LEASE_MILLIS))
                .containsExactly(LeaseStatus.RENEWED);
        clock.advanceMillis(LEASE_MILLIS - 1_000);

        assertThat(store.recoverExpired(100)).isEmpty();
        assertThat(stored(id).leaseExpiresAt().toEpochMilli()).isEqualTo(now() + 1_000);
    }

    @Test
    void renewalOfALostLeaseReturnsLost() {
        JobId recovered = enqueueOne(job().maxAttempts(2));
        ClaimedJob expiring = claimOne();
        JobId finished = enqueueOne(job());
        ClaimedJob done = claimOne();
        succeed(done);
        clock.advanceMillis(LEASE_MILLIS + 1);
        assertThat(store.recoverExpired(100)).extracting(RecoveredJob::id).containsExactly(recovered);

        List<LeaseStatus> statuses = store.renewLeases(List.of(new LeaseRef(recovered, expiring.fencingToken()),
                new LeaseRef(finished, done.fencingToken()), new LeaseRef(JobId.next(), 7)), LEASE_MILLIS);

        assertThat(statuses).containsExactly(LeaseStatus.LOST, LeaseStatus.LOST, LeaseStatus.LOST);
        assertThat(stateOf(recovered)).isEqualTo(JobState.READY);
    }

    @Test
    void expiredLeaseReturnsJobToReadyWithTheAttemptCounted() {
        JobId id = enqueueOne(job().maxAttempts(3));
        ClaimedJob claimed = claimOne();
        clock.advanceMillis(LEASE_MILLIS - 1);
        assertThat(store.recoverExpired(100)).as("lease not yet expired").isEmpty();
        clock.advanceMillis(2);

        List<RecoveredJob> recovered = store.recoverExpired(100);

        assertThat(recovered).containsExactly(new RecoveredJob(id, "test", QUEUE, 1, JobState.READY, NODE));
        assertThat(stored(id).state()).isEqualTo(JobState.READY);
        assertThat(stored(id).attempts()).isEqualTo(1);
        ClaimedJob again = claimOne();
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.fencingToken()).isGreaterThan(claimed.fencingToken());
        assertThat(store.completeAll(List.of(Completion.succeeded(id, claimed.fencingToken(), null))))
                .as("the expired attempt's completion").containsExactly(WriteResult.STALE);
    }

    @Test
    void expiryOfTheLastAttemptMakesTheJobDeadNamingTheOwner() {
        JobId id = enqueueOne(job().maxAttempts(1));
        store.claim(new ClaimRequest("node-crashed", LEASE_MILLIS, 1, List.of(queueClaim(QUEUE, 1))));
        clock.advanceMillis(LEASE_MILLIS + 1);

        List<RecoveredJob> recovered = store.recoverExpired(100);

        assertThat(recovered).containsExactly(new RecoveredJob(id, "test", QUEUE, 1, JobState.DEAD,
                "node-crashed"));
        StoredJob job = stored(id);
        assertThat(job.state()).isEqualTo(JobState.DEAD);
        assertThat(job.lastError()).contains("node-crashed");
        assertThat(claim(10).jobs()).isEmpty();
    }

    @Test
    void recoveryTakesBackAtMostMaxJobsPerCall() {
        List<JobId> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(enqueueOne(job().maxAttempts(2)));
        }
        claim(5);
        clock.advanceMillis(LEASE_MILLIS + 1);

        List<RecoveredJob> first = store.recoverExpired(3);
        List<RecoveredJob> rest = store.recoverExpired(3);

        assertThat(first).hasSize(3);
        assertThat(rest).hasSize(2);
        List<JobId> recovered = new ArrayList<>();
        first.forEach(r -> recovered.add(r.id()));
        rest.forEach(r -> recovered.add(r.id()));
        assertThat(recovered).containsExactlyInAnyOrderElementsOf(all);
        assertThat(store.recoverExpired(3)).isEmpty();
    }

    @Test
    void retryCompletionSchedulesTheJobAtItsRunAt() {
        JobId id = enqueueOne(job().maxAttempts(3));
        ClaimedJob claimed = claimOne();
        long runAt = now() + 30_000;

        complete(Completion.retry(id, claimed.fencingToken(), "timeout talking to bank", runAt));

        StoredJob job = stored(id);
        assertThat(job.state()).isEqualTo(JobState.SCHEDULED);
        assertThat(job.runAt().toEpochMilli()).isEqualTo(runAt);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.lastError()).isEqualTo("timeout talking to bank");
        assertThat(claim(10).jobs()).isEmpty();
        clock.advanceMillis(30_000);
        ClaimedJob second = claimOne();
        assertThat(second.id()).isEqualTo(id);
        assertThat(second.attempt()).isEqualTo(2);
    }

    @Test
    void retryCompletionThatIsAlreadyDueMakesTheJobReady() {
        JobId id = enqueueOne(job().maxAttempts(3));
        ClaimedJob claimed = claimOne();

        complete(Completion.retry(id, claimed.fencingToken(), "flaky", now()));

        assertThat(stateOf(id)).isEqualTo(JobState.READY);
        assertThat(claimOne().attempt()).isEqualTo(2);
    }

    @Test
    void releasedAttemptIsNotCounted() {
        JobId id = enqueueOne(job().maxAttempts(1));
        ClaimedJob claimed = claimOne();

        complete(Completion.released(id, claimed.fencingToken(), now()));

        StoredJob job = stored(id);
        assertThat(job.state()).isEqualTo(JobState.READY);
        assertThat(job.attempts()).isZero();
        assertThat(claimOne().attempt()).isEqualTo(1);
    }

    @Test
    void releasedJobKeepsItsPlaceInLine() {
        JobId older = enqueueOne(job());
        clock.advanceMillis(1_000);
        JobId newer = enqueueOne(job());
        ClaimedJob claimed = claimOne();
        assertThat(claimed.id()).isEqualTo(older);
        clock.advanceMillis(5_000);

        complete(Completion.released(older, claimed.fencingToken(), now()));

        assertThat(ids(claim(10))).containsExactly(older, newer);
    }

    @Test
    void releasedNowIsReadyAtOnceByTheStoresClockAndKeepsItsPlace() {
        JobId older = enqueueOne(job());
        clock.advanceMillis(1_000);
        JobId newer = enqueueOne(job());
        ClaimedJob claimed = claimOne();

        complete(Completion.releasedNow(older, claimed.fencingToken()));

        assertThat(stateOf(older)).isEqualTo(JobState.READY);
        assertThat(ids(claim(10))).containsExactly(older, newer);
    }

    @Test
    void releasedJobWithALaterRunAtIsScheduled() {
        JobId id = enqueueOne(job());
        ClaimedJob claimed = claimOne();

        complete(Completion.released(id, claimed.fencingToken(), now() + 10_000));

        assertThat(stateOf(id)).isEqualTo(JobState.SCHEDULED);
        assertThat(claim(10).jobs()).isEmpty();
        clock.advanceMillis(10_000);
        assertThat(claimOne().attempt()).isEqualTo(1);
    }
}
