package dev.sluice.store.contract;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.graph.FailurePolicy;
import dev.sluice.store.CancelResult;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.Dependency;
import dev.sluice.store.RecoveredJob;
import dev.sluice.store.WriteResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dependency graphs: WAITING jobs, release exactly once, failure policies, cascades. */
abstract class GraphContract extends ContractTheme {

    @Test
    void aChildWaitsUntilEveryParentSucceeds() {
        JobSpec a = job();
        JobSpec b = job();
        JobSpec child = job().after(a.id(), b.id());
        enqueue(a, b, child);

        assertThat(stateOf(child.id())).isEqualTo(JobState.WAITING);
        assertThat(ids(claim(10))).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(store.stats().queues().get(QUEUE).count(JobState.WAITING)).isEqualTo(1);
    }

    @Test
    void aChildBecomesReadyOnceItsLastParentSucceeds() {
        JobSpec a = job();
        JobSpec b = job();
        JobSpec child = job().after(a.id(), b.id());
        enqueue(a, b, child);
        List<ClaimedJob> parents = claim(10).jobs();

        succeed(parents.get(0));
        assertThat(stateOf(child.id())).isEqualTo(JobState.WAITING);
        succeed(parents.get(1));

        assertThat(stateOf(child.id())).isEqualTo(JobState.READY);
        assertThat(ids(claim(10))).containsExactly(child.id());
    }

    @Test
    void aReleasedChildWithAFutureRunAtIsScheduled() {
        JobSpec parent = job();
        JobSpec child = job().after(parent.id()).delay(Duration.ofMinutes(5));
        enqueue(parent, child);

        succeed(claimOne());

        assertThat(stateOf(child.id())).isEqualTo(JobState.SCHEDULED);
        clock.advanceMillis(Duration.ofMinutes(5).toMillis());
        assertThat(ids(claim(10))).containsExactly(child.id());
    }

    @Test
    void edgesToJobsStoredEarlierCountTheirState() {
        JobId done = enqueueOne(job());
        succeed(claimOne());
        JobId running = enqueueOne(job());
        ClaimedJob claimed = claimOne();

        JobId onlyDone = enqueueOne(job().after(done));
        JobId waitsForRunning = enqueueOne(job().after(done, running));

        assertThat(stateOf(onlyDone)).isEqualTo(JobState.READY);
        assertThat(stateOf(waitsForRunning)).isEqualTo(JobState.WAITING);
        succeed(claimed);
        assertThat(stateOf(waitsForRunning)).isEqualTo(JobState.READY);
    }

    @Test
    void anEdgeToAFailedJobAppliesThePolicyAtOnce() {
        JobId dead = enqueueOne(job());
        complete(Completion.dead(dead, claimOne().fencingToken(), "boom"));

        JobId cancelled = enqueueOne(job().after(dead));
        JobId runs = enqueueOne(job().after(FailurePolicy.RUN_DEPENDENTS, dead));
        JobId ignores = enqueueOne(job().after(FailurePolicy.IGNORE, dead));

        assertThat(stateOf(cancelled)).isEqualTo(JobState.CANCELLED);
        assertThat(stored(cancelled).lastError()).contains(dead.toString()).contains("DEAD");
        assertThat(stateOf(runs)).isEqualTo(JobState.READY);
        assertThat(stateOf(ignores)).isEqualTo(JobState.READY);
    }

    @Test
    void anUnknownParentIsRejectedAndNothingIsStored() {
        JobSpec fine = job();
        JobId unknown = JobId.next();
        JobSpec orphan = job().after(unknown);

        assertThatThrownBy(() -> store.enqueue(List.of(fine.build(), orphan.build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(unknown.toString());

        assertThat(store.find(fine.id())).isEmpty();
        assertThat(store.find(orphan.id())).isEmpty();
    }

    @Test
    void aParentMustComeBeforeItsChildInTheList() {
        JobSpec parent = job();
        JobSpec child = job().after(parent.id());

        assertThatThrownBy(() -> store.enqueue(List.of(child.build(), parent.build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(parent.id().toString());
        assertThat(store.find(parent.id())).isEmpty();
    }

    @Test
    void cancelDependentsCascadesDownTheGraph() {
        JobSpec root = job();
        JobSpec middle = job().after(root.id());
        JobSpec leaf = job().after(middle.id());
        JobSpec sibling = job().after(FailurePolicy.RUN_DEPENDENTS, root.id());
        enqueue(root, middle, leaf, sibling);

        complete(Completion.dead(root.id(), claimOne().fencingToken(), "boom"));

        assertThat(stateOf(middle.id())).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(leaf.id())).isEqualTo(JobState.CANCELLED);
        assertThat(stored(leaf.id()).lastError()).contains(middle.id().toString());
        assertThat(stateOf(sibling.id())).isEqualTo(JobState.READY);
    }

    @Test
    void runDependentsAndIgnoreResolveAFailedParent() {
        JobSpec a = job();
        JobSpec b = job();
        JobSpec runs = job().after(FailurePolicy.RUN_DEPENDENTS, a.id()).after(b.id());
        JobSpec ignores = job().after(FailurePolicy.IGNORE, a.id());
        enqueue(a, b, runs, ignores);
        ClaimedJob first = claimOne();
        ClaimedJob second = claimOne();
        ClaimedJob claimedA = first.id().equals(a.id()) ? first : second;
        ClaimedJob claimedB = first.id().equals(a.id()) ? second : first;

        complete(Completion.dead(claimedA.id(), claimedA.fencingToken(), "boom"));
        assertThat(stateOf(ignores.id())).isEqualTo(JobState.READY);
        assertThat(stateOf(runs.id())).isEqualTo(JobState.WAITING);
        succeed(claimedB);
        assertThat(stateOf(runs.id())).isEqualTo(JobState.READY);
    }

    @Test
    void cancellingAParentCascadesByPolicy() {
        JobSpec parent = job();
        JobSpec cancels = job().after(parent.id());
        JobSpec runs = job().after(FailurePolicy.RUN_DEPENDENTS, parent.id());
        enqueue(parent, cancels, runs);

        assertThat(store.cancel(parent.id())).isEqualTo(CancelResult.CANCELLED);

        assertThat(stateOf(cancels.id())).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(runs.id())).isEqualTo(JobState.READY);
    }

    @Test
    void aRunningParentCancelledByRequestCascadesWhenItEnds() {
        JobSpec parent = job();
        JobSpec child = job().after(parent.id());
        enqueue(parent, child);
        ClaimedJob claimed = claimOne();

        assertThat(store.cancel(parent.id())).isEqualTo(CancelResult.CANCEL_REQUESTED);
        assertThat(stateOf(child.id())).isEqualTo(JobState.WAITING);
        complete(Completion.cancelled(parent.id(), claimed.fencingToken(), "stopped"));

        assertThat(stateOf(child.id())).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void aParentThatDiesByLeaseExpiryReleasesItsDependents() {
        JobSpec parent = job();
        JobSpec runs = job().after(FailurePolicy.RUN_DEPENDENTS, parent.id());
        JobSpec cancels = job().after(parent.id());
        enqueue(parent, runs, cancels);
        claimOne();
        clock.advanceMillis(LEASE_MILLIS + 1);

        List<RecoveredJob> recovered = store.recoverExpired(10);

        assertThat(recovered).singleElement().extracting(RecoveredJob::newState).isEqualTo(JobState.DEAD);
        assertThat(stateOf(runs.id())).isEqualTo(JobState.READY);
        assertThat(stateOf(cancels.id())).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void aRetryOfAParentDoesNotHoldItsChildBack() {
        JobSpec parent = job().maxAttempts(2);
        JobSpec child = job().after(parent.id());
        enqueue(parent, child);
        ClaimedJob first = claimOne();

        complete(Completion.retry(parent.id(), first.fencingToken(), "flaky", now()));
        assertThat(stateOf(child.id())).isEqualTo(JobState.WAITING);
        succeed(claimOne());

        assertThat(stateOf(child.id())).isEqualTo(JobState.READY);
    }

    @Test
    void parentsAndChildrenAreListed() {
        JobSpec a = job();
        JobSpec b = job();
        JobSpec child = job().after(a.id()).after(FailurePolicy.IGNORE, b.id());
        enqueue(a, b, child);

        assertThat(store.parentsOf(child.id())).containsExactly(
                new Dependency(a.id(), FailurePolicy.CANCEL_DEPENDENTS), new Dependency(b.id(), FailurePolicy.IGNORE));
        assertThat(store.childrenOf(a.id())).containsExactly(child.id());
        assertThat(store.parentsOf(a.id())).isEmpty();
        assertThat(store.childrenOf(child.id())).isEmpty();
        assertThat(store.parentsOf(JobId.next())).isEmpty();
    }

    @Test
    void aWideFanOutAndFanInRunsEveryJobOnce() {
        JobSpec root = job();
        List<JobSpec> specs = new ArrayList<>(List.of(root));
        List<JobId> middle = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            JobSpec spec = job().after(root.id());
            specs.add(spec);
            middle.add(spec.id());
        }
        JobSpec sink = job().after(middle.toArray(new JobId[0]));
        specs.add(sink);
        enqueue(specs.toArray(new JobSpec[0]));

        Set<JobId> ran = new HashSet<>();
        List<ClaimedJob> batch;
        while (!(batch = claim(100).jobs()).isEmpty()) {
            for (ClaimedJob claimed : batch) {
                assertThat(ran.add(claimed.id())).as("claimed twice: %s", claimed.id()).isTrue();
                if (claimed.id().equals(sink.id())) {
                    assertThat(ran).hasSize(specs.size());
                }
            }
            List<Completion> done = new ArrayList<>();
            for (ClaimedJob claimed : batch) {
                done.add(Completion.succeeded(claimed.id(), claimed.fencingToken(), new byte[0]));
            }
            assertThat(store.completeAll(done)).containsOnly(WriteResult.ACCEPTED);
        }
        assertThat(ran).hasSize(specs.size());
        assertThat(stateOf(sink.id())).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void twoParentsCompletingAtOnceReleaseTheirChildExactlyOnce() throws Exception {
        int rounds = 40;
        List<JobSpec> specs = new ArrayList<>();
        List<JobId> children = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            JobSpec a = job();
            JobSpec b = job();
            JobSpec child = job().queue("children").after(a.id(), b.id());
            specs.add(a);
            specs.add(b);
            specs.add(child);
            children.add(child.id());
        }
        enqueue(specs.toArray(new JobSpec[0]));
        List<ClaimedJob> parents = claim(2 * rounds).jobs();
        assertThat(parents).hasSize(2 * rounds);
        Map<JobId, ClaimedJob> byId = new HashMap<>();
        for (ClaimedJob claimed : parents) {
            byId.put(claimed.id(), claimed);
        }

        // one completion per parent per call, the two parents of a child from two threads at the same moment
        for (int r = 0; r < rounds; r++) {
            ClaimedJob left = byId.get(specs.get(3 * r).id());
            ClaimedJob right = byId.get(specs.get(3 * r + 1).id());
            List<List<WriteResult>> results = concurrently(2, t -> {
                ClaimedJob mine = t == 0 ? left : right;
                return store.completeAll(List.of(Completion.succeeded(mine.id(), mine.fencingToken(), new byte[0])));
            });
            assertThat(results).allSatisfy(result -> assertThat(result).containsExactly(WriteResult.ACCEPTED));
        }

        List<JobId> claimedChildren = new ArrayList<>();
        List<ClaimedJob> batch;
        while (!(batch = claim(100, queueClaim("children", 100)).jobs()).isEmpty()) {
            claimedChildren.addAll(ids(batch));
        }
        assertThat(claimedChildren).containsExactlyInAnyOrderElementsOf(children);
        assertThat(store.stats().queues().get("children").count(JobState.READY)).isZero();
    }
}
