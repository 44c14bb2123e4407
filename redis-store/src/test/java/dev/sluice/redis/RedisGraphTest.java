package dev.sluice.redis;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.graph.FailurePolicy;
import dev.sluice.store.CancelResult;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.Dependency;
import dev.sluice.store.JobStore;
import dev.sluice.store.NewJob;
import dev.sluice.store.RecoveredJob;
import dev.sluice.store.contract.StoreContractSupport;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sluice.graph.FailurePolicy.CANCEL_DEPENDENTS;
import static dev.sluice.graph.FailurePolicy.IGNORE;
import static dev.sluice.graph.FailurePolicy.RUN_DEPENDENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dependency edges in the Redis store: waiting, release, cascades, and what enqueue refuses. */
class RedisGraphTest extends StoreContractSupport {

    @Override
    protected JobStore newStore(Clock clock, Duration agingStep) {
        return TestRedis.newStore(clock, agingStep);
    }

    @Override
    protected void closeStore(JobStore store) {
        TestRedis.closeStore(store);
    }

    /** A job of the default queue waiting for the given parents, all under one policy. */
    private NewJob child(FailurePolicy policy, JobId... parents) {
        return withParents(job().build(), policy, parents);
    }

    static NewJob withParents(NewJob job, FailurePolicy policy, JobId... parents) {
        List<Dependency> edges = new ArrayList<>();
        for (JobId parent : parents) {
            edges.add(new Dependency(parent, policy));
        }
        return new NewJob(job.id(), job.type(), job.queue(), job.priority(), job.payload(), job.runAtMillis(),
                job.maxAttempts(), job.timeoutMillis(), job.uniqueKey(), job.tenant(), job.createdAtMillis(), edges);
    }

    private ClaimedJob claimJob(JobId id) {
        for (ClaimedJob claimed : claim(100).jobs()) {
            if (claimed.id().equals(id)) {
                return claimed;
            }
        }
        throw new AssertionError("job " + id + " was not claimed");
    }

    private long count(JobState state) {
        return store.stats().queues().get(QUEUE).counts().getOrDefault(state, 0L);
    }

    @Test
    void childWaitsForEveryParentThenBecomesReadyOnce() {
        List<JobId> parents = enqueue(job(), job());
        JobId child = enqueue(List.of(child(CANCEL_DEPENDENTS, parents.get(0), parents.get(1)))).get(0);
        assertThat(stateOf(child)).isEqualTo(JobState.WAITING);

        List<ClaimedJob> running = claim(10).jobs();
        assertThat(ids(running)).containsExactlyInAnyOrderElementsOf(parents);
        succeed(running.get(0));
        assertThat(stateOf(child)).isEqualTo(JobState.WAITING);
        clock.advanceMillis(7);
        succeed(running.get(1));

        assertThat(stateOf(child)).isEqualTo(JobState.READY);
        assertThat(claimOne().readyAtMillis()).isEqualTo(now());
        assertThat(count(JobState.WAITING)).isZero();
    }

    @Test
    void edgesAreListedBothWays() {
        List<JobId> parents = enqueue(job(), job());
        NewJob mixed = new NewJob(JobId.next(), "test", QUEUE, dev.sluice.Priority.NORMAL, new byte[0], 0, 1, 0,
                null, null, now(), List.of(new Dependency(parents.get(1), IGNORE),
                new Dependency(parents.get(0), RUN_DEPENDENTS)));
        NewJob second = child(CANCEL_DEPENDENTS, parents.get(1));
        enqueue(List.of(mixed, second));

        assertThat(store.parentsOf(mixed.id())).containsExactly(new Dependency(parents.get(1), IGNORE),
                new Dependency(parents.get(0), RUN_DEPENDENTS));
        assertThat(store.childrenOf(parents.get(1))).containsExactly(mixed.id(), second.id());
        assertThat(store.childrenOf(second.id())).isEmpty();
        assertThat(store.parentsOf(parents.get(0))).isEmpty();
    }

    @Test
    void childWhoseRunAtIsAheadBecomesScheduledWhenReleased() {
        JobId parent = enqueueOne(job());
        NewJob delayed = withParents(job().delay(Duration.ofMinutes(5)).build(), CANCEL_DEPENDENTS, parent);
        enqueue(List.of(delayed));

        succeed(claimOne());

        assertThat(stateOf(delayed.id())).isEqualTo(JobState.SCHEDULED);
        assertThat(stored(delayed.id()).runAt().toEpochMilli()).isEqualTo(now() + 300_000);
    }

    @Test
    void deadParentCancelsDependentsAndTheCancelCascadesThroughTheGraph() {
        JobId parent = enqueueOne(job());
        NewJob child = child(CANCEL_DEPENDENTS, parent);
        NewJob grandchild = child(CANCEL_DEPENDENTS, child.id());
        NewJob survivor = child(RUN_DEPENDENTS, child.id());
        enqueue(List.of(child, grandchild, survivor));

        ClaimedJob running = claimOne();
        complete(Completion.dead(parent, running.fencingToken(), "boom"));

        assertThat(stateOf(child.id())).isEqualTo(JobState.CANCELLED);
        assertThat(stored(child.id()).lastError()).contains(parent.toString()).contains("DEAD");
        assertThat(stateOf(grandchild.id())).isEqualTo(JobState.CANCELLED);
        assertThat(stored(grandchild.id()).lastError()).contains(child.id().toString()).contains("CANCELLED");
        assertThat(stateOf(survivor.id())).isEqualTo(JobState.READY);
        assertThat(count(JobState.CANCELLED)).isEqualTo(2);
        assertThat(count(JobState.WAITING)).isZero();
    }

    @Test
    void runDependentsAndIgnoreResolveTheEdgeOfAFailedParent() {
        List<JobId> parents = enqueue(job(), job());
        NewJob runs = child(RUN_DEPENDENTS, parents.get(0), parents.get(1));
        NewJob ignores = child(IGNORE, parents.get(0), parents.get(1));
        enqueue(List.of(runs, ignores));
        List<ClaimedJob> running = claim(2).jobs();

        complete(Completion.dead(running.get(0).id(), running.get(0).fencingToken(), "boom"));
        assertThat(stateOf(runs.id())).isEqualTo(JobState.WAITING);
        assertThat(store.cancel(running.get(1).id())).isEqualTo(CancelResult.CANCEL_REQUESTED);
        complete(Completion.cancelled(running.get(1).id(), running.get(1).fencingToken(), "stop"));

        assertThat(stateOf(runs.id())).isEqualTo(JobState.READY);
        assertThat(stateOf(ignores.id())).isEqualTo(JobState.READY);
    }

    @Test
    void cancellingAWaitingParentCascadesAtOnce() {
        JobId root = enqueueOne(job());
        NewJob middle = child(CANCEL_DEPENDENTS, root);
        NewJob leaf = child(CANCEL_DEPENDENTS, middle.id());
        enqueue(List.of(middle, leaf));

        assertThat(store.cancel(middle.id())).isEqualTo(CancelResult.CANCELLED);

        assertThat(stateOf(leaf.id())).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(root)).isEqualTo(JobState.READY);
    }

    @Test
    void parentWhoseLeaseExpiresWithoutAttemptsLeftCancelsItsDependents() {
        JobId parent = enqueueOne(job());
        NewJob child = child(CANCEL_DEPENDENTS, parent);
        enqueue(List.of(child));
        claimOne();
        clock.advanceMillis(LEASE_MILLIS + 1);

        List<RecoveredJob> recovered = store.recoverExpired(10);

        assertThat(recovered).extracting(RecoveredJob::newState).containsExactly(JobState.DEAD);
        assertThat(stateOf(child.id())).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void parentsThatEndedBeforeTheEnqueueApplyAtOnce() {
        List<JobId> ids = enqueue(job(), job(), job());
        List<ClaimedJob> running = claim(3).jobs();
        succeed(running.get(0));
        complete(Completion.dead(running.get(1).id(), running.get(1).fencingToken(), "boom"));
        complete(Completion.cancelled(running.get(2).id(), running.get(2).fencingToken(), "stop"));
        JobId succeeded = running.get(0).id();
        JobId dead = running.get(1).id();
        JobId cancelled = running.get(2).id();

        NewJob ready = child(CANCEL_DEPENDENTS, succeeded);
        NewJob runsAnyway = child(RUN_DEPENDENTS, dead, cancelled);
        NewJob cancelledAtOnce = withParents(job().uniqueKey("k").build(), CANCEL_DEPENDENTS, succeeded, dead);
        NewJob holdsTheKey = job().uniqueKey("k").build();
        NewJob cascaded = child(CANCEL_DEPENDENTS, cancelledAtOnce.id());
        enqueue(List.of(ready, runsAnyway, cancelledAtOnce, holdsTheKey, cascaded));

        assertThat(ids).hasSize(3);
        assertThat(stateOf(ready.id())).isEqualTo(JobState.READY);
        assertThat(stateOf(runsAnyway.id())).isEqualTo(JobState.READY);
        assertThat(stateOf(cancelledAtOnce.id())).isEqualTo(JobState.CANCELLED);
        assertThat(stored(cancelledAtOnce.id()).lastError()).contains(dead.toString()).contains("DEAD");
        // a job stored cancelled never held its unique key
        assertThat(stateOf(holdsTheKey.id())).isEqualTo(JobState.READY);
        assertThat(stateOf(cascaded.id())).isEqualTo(JobState.CANCELLED);
        assertThat(store.childrenOf(dead)).containsExactlyInAnyOrder(runsAnyway.id(), cancelledAtOnce.id());
    }

    @Test
    void unknownParentIsRefusedNamingItAndNothingIsStored() {
        NewJob fine = job().build();
        JobId unknown = JobId.next();
        NewJob orphan = child(CANCEL_DEPENDENTS, fine.id(), unknown);

        assertThatThrownBy(() -> store.enqueue(List.of(fine, orphan))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(unknown.toString()).hasMessageContaining(orphan.id().toString());
        assertThat(store.find(fine.id())).isEmpty();
        assertThat(store.childrenOf(fine.id())).isEmpty();
    }

    @Test
    void parentLaterInTheListOrADuplicateOfTheListIsRefused() {
        NewJob parent = job().build();
        NewJob tooEarly = child(CANCEL_DEPENDENTS, parent.id());
        assertThatThrownBy(() -> store.enqueue(List.of(tooEarly, parent)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(parent.id().toString());

        enqueueOne(job().uniqueKey("taken"));
        NewJob duplicate = job().uniqueKey("taken").build();
        NewJob childOfDuplicate = child(CANCEL_DEPENDENTS, duplicate.id());
        assertThatThrownBy(() -> store.enqueue(List.of(duplicate, childOfDuplicate)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(duplicate.id().toString());

        NewJob twice = child(CANCEL_DEPENDENTS, parent.id(), parent.id());
        assertThatThrownBy(() -> store.enqueue(List.of(parent, twice)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThat(store.find(parent.id())).isEmpty();
    }

    @Test
    void retriedParentDoesNotBringBackDependentsOrCountTwice() {
        JobId parent = enqueueOne(job());
        NewJob cancelled = child(CANCEL_DEPENDENTS, parent);
        enqueue(List.of(cancelled));
        ClaimedJob first = claimOne();
        complete(Completion.dead(parent, first.fencingToken(), "boom"));
        assertThat(stateOf(cancelled.id())).isEqualTo(JobState.CANCELLED);

        assertThat(store.retry(parent)).isTrue();
        JobId other = enqueueOne(job());
        NewJob waitsForBoth = child(CANCEL_DEPENDENTS, parent, other);
        enqueue(List.of(waitsForBoth));
        List<ClaimedJob> running = claim(10).jobs();
        running.forEach(this::succeed);

        assertThat(stateOf(cancelled.id())).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(waitsForBoth.id())).isEqualTo(JobState.READY);
        assertThat(count(JobState.READY)).isEqualTo(1);
    }

    @Test
    void cancelWaitingTakesTheSmallestIdsOfTheQueueAndCascades() {
        JobId parent = enqueueOne(job());
        ClaimedJob running = claimJob(parent);
        NewJob waiting = child(CANCEL_DEPENDENTS, parent);
        NewJob delayed = job().delay(Duration.ofMinutes(10)).build();
        NewJob ready = job().build();
        NewJob otherQueue = job().queue("other").build();
        NewJob grandchild = withParents(job().queue("other").build(), CANCEL_DEPENDENTS, waiting.id());
        enqueue(List.of(waiting, delayed, ready, otherQueue, grandchild));

        assertThat(store.cancelWaiting(QUEUE, 2)).isEqualTo(2);

        assertThat(stateOf(waiting.id())).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(grandchild.id())).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(delayed.id())).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(ready.id())).isEqualTo(JobState.READY);
        assertThat(stateOf(parent)).isEqualTo(JobState.RUNNING);
        assertThat(store.cancelWaiting(QUEUE, 5)).isEqualTo(1);
        assertThat(store.cancelWaiting(QUEUE, 5)).isZero();
        assertThat(stateOf(otherQueue.id())).isEqualTo(JobState.READY);
        succeed(running);
        assertThat(count(JobState.CANCELLED)).isEqualTo(3);
        assertThat(store.stats().queues().get("other").counts())
                .isEqualTo(Map.of(JobState.READY, 1L, JobState.CANCELLED, 1L));
    }

    @Test
    void aWideFanInIsReleasedByItsLastParent() {
        List<NewJob> parents = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            parents.add(job().build());
        }
        JobId[] parentIds = parents.stream().map(NewJob::id).toArray(JobId[]::new);
        List<NewJob> all = new ArrayList<>(parents);
        NewJob fanIn = child(CANCEL_DEPENDENTS, parentIds);
        all.add(fanIn);
        enqueue(all);

        List<ClaimedJob> running = claim(500).jobs();
        List<Completion> completions = new ArrayList<>();
        for (ClaimedJob job : running) {
            completions.add(Completion.succeeded(job.id(), job.fencingToken(), null));
        }
        store.completeAll(completions.subList(0, 499));
        assertThat(stateOf(fanIn.id())).isEqualTo(JobState.WAITING);
        store.completeAll(completions.subList(499, 500));

        assertThat(stateOf(fanIn.id())).isEqualTo(JobState.READY);
        assertThat(store.parentsOf(fanIn.id())).hasSize(500);
    }
}
