package dev.sluice.store.contract;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.EnqueueResult;
import dev.sluice.store.NewJob;
import dev.sluice.store.StoredJob;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Storing jobs: fields kept, all-or-nothing batches, unique keys. */
abstract class EnqueueContract extends ContractTheme {

    @Test
    void storedJobKeepsEveryFieldItWasGiven() {
        byte[] payload = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        JobId id = enqueueOne(job().type("invoice.send").queue("billing").priority(Priority.HIGH).payload(payload)
                .maxAttempts(5).timeoutMillis(2_000).uniqueKey("invoice-17").tenant("acme"));

        StoredJob job = stored(id);
        assertThat(job.id()).isEqualTo(id);
        assertThat(job.type()).isEqualTo("invoice.send");
        assertThat(job.queue()).isEqualTo("billing");
        assertThat(job.priority()).isEqualTo(Priority.HIGH);
        assertThat(job.state()).isEqualTo(JobState.READY);
        assertThat(job.payload()).isEqualTo(payload);
        assertThat(job.tenant()).isEqualTo("acme");
        assertThat(job.uniqueKey()).isEqualTo("invoice-17");
        assertThat(job.attempts()).isZero();
        assertThat(job.maxAttempts()).isEqualTo(5);
        assertThat(job.timeoutMillis()).isEqualTo(2_000);
        assertThat(job.createdAt()).isEqualTo(START);
        assertThat(job.runAt()).isNull();
        assertThat(job.startedAt()).isNull();
        assertThat(job.finishedAt()).isNull();
        assertThat(job.fencingToken()).isZero();
        assertThat(job.cancelRequested()).isFalse();
    }

    @Test
    void jobWithFutureRunAtIsScheduledUntilThen() {
        JobId id = enqueueOne(job().runAtMillis(now() + 60_000));

        StoredJob job = stored(id);
        assertThat(job.state()).isEqualTo(JobState.SCHEDULED);
        assertThat(job.runAt()).isEqualTo(START.plusSeconds(60));
    }

    @Test
    void resultsFollowTheOrderOfTheJobs() {
        List<NewJob> jobs = List.of(job().build(), job().runAtMillis(now() + 1_000).build(), job().build());

        List<EnqueueResult> results = store.enqueue(jobs);

        assertThat(results).extracting(EnqueueResult::id).containsExactly(jobs.get(0).id(), jobs.get(1).id(),
                jobs.get(2).id());
        assertThat(results).noneMatch(EnqueueResult::duplicate);
    }

    @Test
    void emptyBatchStoresNothing() {
        assertThat(store.enqueue(List.of())).isEmpty();
        assertThat(store.stats().total(JobState.READY)).isZero();
    }

    @Test
    void batchWithAnIdAlreadyStoredStoresNothing() {
        NewJob existing = job().build();
        enqueue(List.of(existing));
        List<NewJob> batch = List.of(job().build(), job().uniqueKey("k").build(), existing, job().build());

        assertThatThrownBy(() -> store.enqueue(batch)).isInstanceOf(RuntimeException.class);

        assertThat(store.findAll(List.of(batch.get(0).id(), batch.get(1).id(), batch.get(3).id()))).isEmpty();
        assertThat(store.stats().total(JobState.READY)).isEqualTo(1);
        assertThat(store.enqueue(List.of(job().uniqueKey("k").build())).get(0).duplicate())
                .as("the failed batch took no unique key").isFalse();
    }

    @Test
    void batchNamingOneIdTwiceStoresNothing() {
        NewJob twice = job().build();
        NewJob other = job().build();

        assertThatThrownBy(() -> store.enqueue(List.of(twice, other, twice))).isInstanceOf(RuntimeException.class);

        assertThat(store.findAll(List.of(twice.id(), other.id()))).isEmpty();
        assertThat(claim(10).jobs()).isEmpty();
    }

    @Test
    void duplicateUniqueKeyReturnsTheHolderAndStoresNothing() {
        JobId holder = enqueueOne(job().uniqueKey("report-2030-01"));
        NewJob again = job().uniqueKey("report-2030-01").build();

        List<EnqueueResult> results = store.enqueue(List.of(again));

        assertThat(results).containsExactly(new EnqueueResult(holder, true));
        assertThat(store.find(again.id())).isEmpty();
    }

    @Test
    void duplicatesInsideOneBatchResolveToTheFirst() {
        NewJob first = job().uniqueKey("k").build();
        NewJob second = job().uniqueKey("k").build();
        NewJob unkeyed = job().build();
        NewJob otherKey = job().uniqueKey("other").build();

        List<EnqueueResult> results = store.enqueue(List.of(first, second, unkeyed, otherKey));

        assertThat(results).containsExactly(new EnqueueResult(first.id(), false),
                new EnqueueResult(first.id(), true), new EnqueueResult(unkeyed.id(), false),
                new EnqueueResult(otherKey.id(), false));
        assertThat(store.find(second.id())).isEmpty();
    }

    @Test
    void uniqueKeyIsHeldWhileTheJobIsScheduledOrRunningOrWaitsForARetry() {
        JobId holder = enqueueOne(job().uniqueKey("k").maxAttempts(3).runAtMillis(now() + 1_000));
        assertThat(isDuplicate("k")).as("while scheduled").isTrue();
        clock.advanceMillis(1_000);
        ClaimedJob claimed = claimOne();
        assertThat(claimed.id()).isEqualTo(holder);
        assertThat(isDuplicate("k")).as("while running").isTrue();
        complete(Completion.retry(holder, claimed.fencingToken(), "boom", now() + 5_000));
        assertThat(isDuplicate("k")).as("while scheduled for a retry").isTrue();
    }

    @Test
    void uniqueKeyIsFreeAgainOnceItsHolderSucceedsDiesOrIsCancelled() {
        for (Completion.Outcome outcome : List.of(Completion.Outcome.SUCCEEDED, Completion.Outcome.DEAD,
                Completion.Outcome.CANCELLED)) {
            String key = "key-" + outcome;
            JobId holder = enqueueOne(job().uniqueKey(key));
            ClaimedJob claimed = claimOne();
            complete(new Completion(holder, claimed.fencingToken(), outcome, null, "because", 0));

            assertThat(isDuplicate(key)).as("key after " + outcome).isFalse();
        }
    }

    @Test
    void exactlyOneOfSixteenConcurrentSubmittersOfAUniqueKeyIsStored() throws Exception {
        List<EnqueueResult> results = concurrently(16,
                i -> store.enqueue(List.of(job().uniqueKey("one-per-day").build())).get(0));

        List<EnqueueResult> stored = results.stream().filter(r -> !r.duplicate()).toList();
        assertThat(stored).hasSize(1);
        JobId winner = stored.get(0).id();
        assertThat(results).allSatisfy(r -> assertThat(r.id()).isEqualTo(winner));
        assertThat(store.stats().total(JobState.READY)).isEqualTo(1);
    }

    @Test
    void concurrentBatchesAreAllStored() throws Exception {
        List<List<EnqueueResult>> results = concurrently(8, i -> {
            List<NewJob> batch = new ArrayList<>();
            for (int n = 0; n < 250; n++) {
                batch.add(job().build());
            }
            return store.enqueue(batch);
        });

        assertThat(results).allSatisfy(batch -> assertThat(batch).hasSize(250).noneMatch(EnqueueResult::duplicate));
        assertThat(store.stats().total(JobState.READY)).isEqualTo(2_000);
    }

    private boolean isDuplicate(String key) {
        NewJob probe = job().uniqueKey(key).runAtMillis(Instant.parse("2100-01-01T00:00:00Z").toEpochMilli())
                .build();
        EnqueueResult result = store.enqueue(List.of(probe)).get(0);
        if (!result.duplicate()) {
            store.cancel(probe.id()); // give the key back
        }
        return result.duplicate();
    }
}
