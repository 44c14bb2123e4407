package dev.sluice.jdbc;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.graph.FailurePolicy;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.Dependency;
import dev.sluice.store.JobStore;
import dev.sluice.store.NewJob;
import dev.sluice.store.StoredJob;
import dev.sluice.store.contract.StoreContractSupport;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dependency edges on PostgreSQL through the store's own calls: waiting, release, failure policies, cascades, and
 * parents that had ended before their children were stored.
 */
class PostgresDependencyTest extends StoreContractSupport {

    private final Map<JobStore, String> schemas = new IdentityHashMap<>();

    @Override
    protected JobStore newStore(Clock clock, Duration agingStep) {
        String schema = TestDatabases.uniqueName("g");
        JdbcJobStore made = JdbcJobStore.builder(TestDatabases.postgres()).schema(schema).clock(clock)
                .agingStep(agingStep).createSchema(true).build();
        schemas.put(made, schema);
        return made;
    }

    @Override
    protected void closeStore(JobStore closing) {
        closing.close();
        TestDatabases.execute(TestDatabases.postgres(), "DROP SCHEMA \"" + schemas.remove(closing) + "\" CASCADE");
    }

    private NewJob child(JobId... parents) {
        return child(FailurePolicy.CANCEL_DEPENDENTS, parents);
    }

    private NewJob child(FailurePolicy policy, JobId... parents) {
        List<Dependency> edges = new ArrayList<>();
        for (JobId parent : parents) {
            edges.add(new Dependency(parent, policy));
        }
        return new NewJob(JobId.next(), "child", QUEUE, Priority.NORMAL, "c".getBytes(StandardCharsets.UTF_8), 0, 1,
                0, null, null, clock.millis(), edges);
    }

    private ClaimedJob claimJob(JobId id) {
        ClaimedJob claimed = claimOne();
        assertThat(claimed.id()).isEqualTo(id);
        return claimed;
    }

    @Test
    void diamondChildWaitsForBothParentsThenBecomesReadyOnce() {
        JobId root = enqueueOne(job());
        NewJob left = child(root);
        NewJob right = child(root);
        NewJob join = child(left.id(), right.id());
        enqueue(List.of(left, right, join));
        assertThat(stateOf(left.id())).isEqualTo(JobState.WAITING);
        assertThat(stateOf(join.id())).isEqualTo(JobState.WAITING);

        succeed(claimJob(root));
        assertThat(ids(claim(10))).containsExactlyInAnyOrder(left.id(), right.id());
        complete(Completion.succeeded(left.id(), stored(left.id()).fencingToken(), null));
        assertThat(stateOf(join.id())).isEqualTo(JobState.WAITING);
        complete(Completion.succeeded(right.id(), stored(right.id()).fencingToken(), null));

        assertThat(stateOf(join.id())).isEqualTo(JobState.READY);
        assertThat(ids(claim(10))).containsExactly(join.id());
        assertThat(store.parentsOf(join.id())).containsExactly(
                new Dependency(left.id(), FailurePolicy.CANCEL_DEPENDENTS),
                new Dependency(right.id(), FailurePolicy.CANCEL_DEPENDENTS));
        assertThat(store.childrenOf(root)).containsExactlyElementsOf(
                left.id().compareTo(right.id()) < 0 ? List.of(left.id(), right.id()) : List.of(right.id(), left.id()));
    }

    @Test
    void deadParentCancelsItsWaitingDescendantsInTheSameCompletion() {
        JobId root = enqueueOne(job());
        NewJob middle = child(root);
        NewJob leaf = child(middle.id());
        NewJob tolerant = child(FailurePolicy.RUN_DEPENDENTS, middle.id());
        enqueue(List.of(middle, leaf, tolerant));

        ClaimedJob claimed = claimJob(root);
        complete(Completion.dead(claimed.id(), claimed.fencingToken(), "boom"));

        StoredJob cancelled = stored(middle.id());
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.lastError()).contains(root.toString()).contains("DEAD");
        assertThat(stored(leaf.id()).state()).isEqualTo(JobState.CANCELLED);
        assertThat(stored(leaf.id()).lastError()).contains(middle.id().toString()).contains("CANCELLED");
        assertThat(stateOf(tolerant.id())).as("RUN_DEPENDENTS resolves the edge").isEqualTo(JobState.READY);
    }

    @Test
    void ignoreAndRunDependentsEdgesReleaseTheChildWhenTheParentFails() {
        JobId failing = enqueueOne(job());
        JobId fine = enqueueOne(job());
        NewJob ignoring = child(FailurePolicy.IGNORE, failing, fine);
        enqueue(List.of(ignoring));

        ClaimedJob first = claimJob(failing);
        complete(Completion.dead(first.id(), first.fencingToken(), "gone"));
        assertThat(stateOf(ignoring.id())).isEqualTo(JobState.WAITING);
        succeed(claimJob(fine));

        assertThat(stateOf(ignoring.id())).isEqualTo(JobState.READY);
    }

    @Test
    void parentsThatEndedBeforeTheChildApplyAtOnce() {
        JobId succeeded = enqueueOne(job());
        succeed(claimJob(succeeded));
        JobId cancelled = enqueueOne(job());
        store.cancel(cancelled);

        NewJob ready = child(succeeded);
        NewJob doomed = child(succeeded, cancelled);
        NewJob tolerant = child(FailurePolicy.IGNORE, cancelled);
        NewJob grandchild = child(doomed.id());
        enqueue(List.of(ready, doomed, tolerant, grandchild));

        assertThat(stateOf(ready.id())).isEqualTo(JobState.READY);
        assertThat(stored(doomed.id()).state()).isEqualTo(JobState.CANCELLED);
        assertThat(stored(doomed.id()).lastError()).contains(cancelled.toString()).contains("CANCELLED");
        assertThat(stored(doomed.id()).finishedAt()).isNotNull();
        assertThat(stateOf(tolerant.id())).isEqualTo(JobState.READY);
        assertThat(stateOf(grandchild.id())).as("in-list parent stored CANCELLED").isEqualTo(JobState.CANCELLED);
    }

    @Test
    void unknownParentIsRefusedByIdAndNothingIsStored() {
        JobId missing = JobId.next();
        NewJob plain = job().build();
        NewJob orphan = child(missing);

        assertThatThrownBy(() -> store.enqueue(List.of(plain, orphan)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
        assertThat(store.find(plain.id())).isEmpty();
    }

    @Test
    void alreadyStoredIdIsRefusedByIdAndNothingIsStored() {
        JobId stored = enqueueOne(job());
        NewJob again = job().id(stored).build();
        NewJob fresh = job().build();

        assertThatThrownBy(() -> store.enqueue(List.of(fresh, again)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(stored.toString());
        assertThat(store.find(fresh.id())).isEmpty();
    }

    @Test
    void cancellingAWaitingParentCascadesAndCancelWaitingCountsWhatItCancelled() {
        JobId root = enqueueOne(job());
        NewJob middle = child(root);
        NewJob leaf = child(FailurePolicy.CANCEL_DEPENDENTS, middle.id());
        enqueue(List.of(middle, leaf));

        store.cancel(middle.id());
        assertThat(stateOf(leaf.id())).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(root)).isEqualTo(JobState.READY);

        NewJob other = child(root);
        enqueue(List.of(other));
        assertThat(store.cancelWaiting(QUEUE, 10)).isEqualTo(2);
        assertThat(stateOf(root)).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(other.id())).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void expiredLeaseThatEndsDeadCascadesToDependents() {
        JobId root = enqueueOne(job());
        NewJob dependent = child(root);
        enqueue(List.of(dependent));
        claimJob(root);
        clock.advanceMillis(LEASE_MILLIS + 1);

        assertThat(store.recoverExpired(10)).hasSize(1);

        assertThat(stateOf(root)).isEqualTo(JobState.DEAD);
        assertThat(stateOf(dependent.id())).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void retryingAFailedParentByHandDoesNotReleaseItsChildTwice() {
        JobId flaky = enqueueOne(job());
        JobId slow = enqueueOne(job());
        NewJob child = child(FailurePolicy.RUN_DEPENDENTS, flaky, slow);
        enqueue(List.of(child));

        ClaimedJob first = claimJob(flaky);
        complete(Completion.dead(first.id(), first.fencingToken(), "once"));
        assertThat(store.retry(flaky)).isTrue();
        succeed(claimJob(flaky));

        assertThat(stateOf(child.id())).as("the retried parent's edge was settled already").isEqualTo(JobState.WAITING);
        succeed(claimJob(slow));
        assertThat(stateOf(child.id())).isEqualTo(JobState.READY);
    }
}
