package dev.sluice.store;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.StoreCapacityExceededException;
import dev.sluice.store.contract.JobStoreContract;
import dev.sluice.store.contract.StoreContractSupport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store contract, plus what only the in-memory store promises: capacity, retention, builder checks. */
class InMemoryJobStoreTest extends JobStoreContract {

    @Override
    protected JobStore newStore(Clock clock, Duration agingStep) {
        return InMemoryJobStore.builder().clock(clock).agingStep(agingStep).build();
    }

    @Nested
    class InMemoryOnly extends StoreContractSupport {

        @Override
        protected JobStore newStore(Clock clock, Duration agingStep) {
            return InMemoryJobStore.builder().clock(clock).agingStep(agingStep).build();
        }

        private InMemoryJobStore small(int capacity, int retainFinished) {
            return InMemoryJobStore.builder().clock(clock).capacity(capacity).retainFinished(retainFinished).build();
        }

        @Test
        void enqueuePastCapacityThrowsAClearErrorAndStoresNothing() {
            store = small(5, 100);
            JobId dead = enqueueOne(job());
            complete(Completion.dead(dead, claimOne().fencingToken(), "bad"));
            enqueueMany(3);
            List<NewJob> tooMany = List.of(job().build(), job().uniqueKey("k").build());

            assertThatThrownBy(() -> store.enqueue(tooMany))
                    .isInstanceOf(StoreCapacityExceededException.class)
                    .hasMessageContaining("capacity 5")
                    .hasMessageContaining("4 held")
                    .hasMessageContaining("1 of them DEAD");

            assertThat(store.findAll(List.of(tooMany.get(0).id(), tooMany.get(1).id()))).isEmpty();
            assertThat(store.stats().total(JobState.READY)).isEqualTo(3);
            assertThat(store.enqueue(List.of(job().uniqueKey("k").build())).get(0).duplicate())
                    .as("the refused batch took no unique key").isFalse();
        }

        @Test
        void duplicatesDoNotCountAgainstCapacity() {
            store = small(2, 100);
            JobId holder = enqueueOne(job().uniqueKey("k"));

            List<EnqueueResult> results = store.enqueue(List.of(job().uniqueKey("k").build(), job().build()));

            assertThat(results.get(0)).isEqualTo(new EnqueueResult(holder, true));
            assertThat(results.get(1).duplicate()).isFalse();
        }

        @Test
        void finishedJobsDoNotCountAgainstCapacity() {
            store = small(2, 100);
            for (int i = 0; i < 5; i++) {
                enqueueMany(2);
                claim(2).jobs().forEach(this::succeed);
            }

            assertThat(store.stats().total(JobState.SUCCEEDED)).isEqualTo(10);
        }

        @Test
        void oldestFinishedJobsAreDroppedBeyondRetainFinished() {
            store = small(100, 3);
            List<JobId> ids = enqueueMany(5);
            for (ClaimedJob job : claim(5).jobs()) {
                clock.advanceMillis(1);
                succeed(job);
            }

            assertThat(store.findAll(ids)).extracting(StoredJob::id).containsExactlyInAnyOrderElementsOf(
                    ids.subList(2, 5));
            assertThat(store.stats().total(JobState.SUCCEEDED)).isEqualTo(3);
            assertThat(store.cancel(ids.get(0))).isEqualTo(CancelResult.NOT_FOUND);
        }

        @Test
        void deadJobsAreNeverDroppedByRetention() {
            store = small(100, 0);
            JobId dead = enqueueOne(job());
            JobId done = enqueueOne(job());
            List<ClaimedJob> jobs = claim(2).jobs();
            store.completeAll(List.of(Completion.dead(dead, jobs.get(0).fencingToken(), "x"),
                    Completion.succeeded(done, jobs.get(1).fencingToken(), null)));

            assertThat(stateOf(dead)).isEqualTo(JobState.DEAD);
            assertThat(store.find(done)).as("retainFinished 0 drops finished jobs at once").isEmpty();
        }

        @Test
        void enqueueOfAnIdAlreadyStoredNamesTheId() {
            NewJob existing = job().build();
            enqueue(List.of(existing));

            assertThatThrownBy(() -> store.enqueue(List.of(job().build(), existing)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(existing.id().toString());
        }

        @Test
        void retryOfACancelledJobPastCapacityThrows() {
            store = small(1, 100);
            JobId cancelled = enqueueOne(job());
            store.cancel(cancelled);
            enqueueOne(job());

            assertThatThrownBy(() -> store.retry(cancelled)).isInstanceOf(StoreCapacityExceededException.class)
                    .hasMessageContaining(cancelled.toString());
            assertThat(stateOf(cancelled)).isEqualTo(JobState.CANCELLED);
        }

        @Test
        void retryIsRefusedWhileAnotherJobHoldsTheUniqueKey() {
            JobId first = enqueueOne(job().uniqueKey("k"));
            store.cancel(first);
            JobId second = enqueueOne(job().uniqueKey("k"));

            assertThat(store.retry(first)).isFalse();
            assertThat(stateOf(first)).isEqualTo(JobState.CANCELLED);
            store.cancel(second);
            assertThat(store.retry(first)).isTrue();
            assertThat(store.enqueue(List.of(job().uniqueKey("k").build())).get(0))
                    .isEqualTo(new EnqueueResult(first, true));
        }

        @Test
        void cancelRequestedWhileRunningWinsOverARetryOrARelease() {
            JobId retried = enqueueOne(job().maxAttempts(3));
            JobId released = enqueueOne(job().maxAttempts(3));
            List<ClaimedJob> jobs = claim(2).jobs();
            store.cancel(retried);
            store.cancel(released);

            store.completeAll(List.of(Completion.retry(retried, jobs.get(0).fencingToken(), "x", now()),
                    Completion.released(released, jobs.get(1).fencingToken(), now())));

            assertThat(stateOf(retried)).isEqualTo(JobState.CANCELLED);
            assertThat(stateOf(released)).isEqualTo(JobState.CANCELLED);
        }

        @Test
        void cancelRequestedWinsOverLeaseRecovery() {
            JobId id = enqueueOne(job().maxAttempts(3));
            claimOne();
            store.cancel(id);
            clock.advanceMillis(LEASE_MILLIS + 1);

            assertThat(store.recoverExpired(10)).singleElement()
                    .extracting(RecoveredJob::newState).isEqualTo(JobState.CANCELLED);
            assertThat(stateOf(id)).isEqualTo(JobState.CANCELLED);
        }

        @Test
        void subscribersAreCalledSynchronouslyUntilUnsubscribedAndTheirFailuresAreIgnored() throws Exception {
            AtomicInteger calls = new AtomicInteger();
            AutoCloseable counting = store.subscribe(calls::incrementAndGet);
            AutoCloseable failing = store.subscribe(() -> {
                throw new IllegalStateException("subscriber bug");
            });

            enqueueOne(job());
            assertThat(calls).hasValue(1);
            claimOne();
            assertThat(calls).as("a claim makes no work").hasValue(1);

            counting.close();
            failing.close();
            enqueueOne(job());
            assertThat(calls).hasValue(1);
        }

        @Test
        void builderRejectsBadSettingsNamingTheFieldAndValue() {
            assertThatThrownBy(() -> InMemoryJobStore.builder().capacity(0).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("capacity must be >= 1 but was 0");
            assertThatThrownBy(() -> InMemoryJobStore.builder().retainFinished(-1).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("retainFinished must be >= 0 but was -1");
            assertThatThrownBy(() -> InMemoryJobStore.builder().agingStep(Duration.ZERO).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("agingStep must be between 1 ms and 365 days but was PT0S");
            assertThatThrownBy(() -> InMemoryJobStore.builder().agingStep(null).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agingStep");
            assertThatThrownBy(() -> InMemoryJobStore.builder().clock(null).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("clock must not be null");
        }

        @Test
        void manyTenantsAndQueuesKeepTheGlobalOrder() {
            List<JobId> inOrder = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                inOrder.add(enqueueOne(job().queue("q" + (i % 3)).tenant(i % 4 == 0 ? null : "t" + (i % 7))));
                clock.advanceMillis(1);
            }

            assertThat(ids(claim(100, queueClaim("q0", 100), queueClaim("q1", 100), queueClaim("q2", 100))))
                    .containsExactlyElementsOf(inOrder);
        }
    }
}
