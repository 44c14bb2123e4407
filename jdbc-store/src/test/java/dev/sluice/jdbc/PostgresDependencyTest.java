package dev.sluice.jdbc;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.graph.FailurePolicy;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.JobStore;
import dev.sluice.store.NewJob;
import dev.sluice.store.contract.StoreContractSupport;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the store contract kit leaves out, on PostgreSQL: parents that ended before their children were stored
 * (also within one list), ids already stored, a cancel of a waiting parent, and edges that settle only once however
 * often a parent is retried by hand.
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

    private ClaimedJob claimJob(JobId id) {
        ClaimedJob claimed = claimOne();
        assertThat(claimed.id()).isEqualTo(id);
        return claimed;
    }

    @Test
    void parentsThatEndedBeforeTheChildApplyAtOnce() {
        JobId succeeded = enqueueOne(job());
        succeed(claimJob(succeeded));
        JobId cancelled = enqueueOne(job());
        store.cancel(cancelled);

        JobSpec ready = job().after(succeeded);
        JobSpec doomed = job().after(succeeded, cancelled);
        JobSpec tolerant = job().after(FailurePolicy.IGNORE, cancelled);
        JobSpec grandchild = job().after(doomed.id());
        enqueue(ready, doomed, tolerant, grandchild);

        assertThat(stateOf(ready.id())).isEqualTo(JobState.READY);
        assertThat(stored(doomed.id()).state()).isEqualTo(JobState.CANCELLED);
        assertThat(stored(doomed.id()).lastError()).contains(cancelled.toString()).contains("CANCELLED");
        assertThat(stored(doomed.id()).finishedAt()).isNotNull();
        assertThat(stateOf(tolerant.id())).isEqualTo(JobState.READY);
        assertThat(stateOf(grandchild.id())).as("in-list parent stored CANCELLED").isEqualTo(JobState.CANCELLED);
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
        JobSpec middle = job().after(root);
        JobSpec leaf = job().after(middle.id());
        enqueue(middle, leaf);

        store.cancel(middle.id());
        assertThat(stateOf(leaf.id())).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(root)).isEqualTo(JobState.READY);

        JobId other = enqueueOne(job().after(root));
        assertThat(store.cancelWaiting(QUEUE, 10)).isEqualTo(2);
        assertThat(stateOf(root)).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(other)).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void retryingAFailedParentByHandDoesNotReleaseItsChildTwice() {
        JobId flaky = enqueueOne(job());
        JobId slow = enqueueOne(job());
        JobId child = enqueueOne(job().after(FailurePolicy.RUN_DEPENDENTS, flaky, slow));

        ClaimedJob first = claimJob(flaky);
        complete(Completion.dead(first.id(), first.fencingToken(), "once"));
        assertThat(store.retry(flaky)).isTrue();
        succeed(claimJob(flaky));

        assertThat(stateOf(child)).as("the retried parent's edge was settled already").isEqualTo(JobState.WAITING);
        succeed(claimJob(slow));
        assertThat(stateOf(child)).isEqualTo(JobState.READY);
    }
}
