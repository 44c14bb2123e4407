package dev.sluice.redis;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.sluice.graph.FailurePolicy.RUN_DEPENDENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dependency edges in the Redis store beyond the contract kit's GraphContract: the per-queue counts the scripts
 * keep through cascades, edges applied at enqueue within one list, edges applied once, and cancelWaiting's choice.
 */
class RedisGraphTest extends RedisStoreSupport {

    private Map<JobState, Long> counts(String queue) {
        return store.stats().queues().get(queue).counts();
    }

    @Test
    void aCascadeKeepsTheCountsAndNamesEachParentInTheError() {
        JobSpec parent = job();
        JobSpec child = job().after(parent.id());
        JobSpec grandchild = job().queue("other").after(child.id());
        JobSpec survivor = job().after(RUN_DEPENDENTS, child.id());
        enqueue(parent, child, grandchild, survivor);

        complete(Completion.dead(parent.id(), claimOne().fencingToken(), "boom"));

        assertThat(stored(child.id()).lastError()).contains(parent.id().toString()).contains("DEAD");
        assertThat(stored(grandchild.id()).lastError()).contains(child.id().toString()).contains("CANCELLED");
        assertThat(stateOf(survivor.id())).isEqualTo(JobState.READY);
        assertThat(counts(QUEUE)).isEqualTo(Map.of(JobState.DEAD, 1L, JobState.CANCELLED, 1L, JobState.READY, 1L));
        assertThat(counts("other")).isEqualTo(Map.of(JobState.CANCELLED, 1L));
    }

    @Test
    void aJobStoredCancelledBecauseOfItsParentNeitherTakesItsUniqueKeyNorSparesItsChildren() {
        JobId dead = enqueueOne(job());
        complete(Completion.dead(dead, claimOne().fencingToken(), "boom"));

        JobSpec cancelledAtOnce = job().uniqueKey("k").after(dead);
        JobSpec takesTheKey = job().uniqueKey("k");
        JobSpec cascaded = job().after(cancelledAtOnce.id());
        enqueue(cancelledAtOnce, takesTheKey, cascaded);

        assertThat(stateOf(cancelledAtOnce.id())).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(takesTheKey.id())).isEqualTo(JobState.READY);
        assertThat(stateOf(cascaded.id())).isEqualTo(JobState.CANCELLED);
        assertThat(store.childrenOf(dead)).containsExactly(cancelledAtOnce.id());
    }

    @Test
    void aDuplicateOfTheSameListCannotBeAParent() {
        enqueueOne(job().uniqueKey("taken"));
        JobSpec duplicate = job().uniqueKey("taken");
        JobSpec child = job().after(duplicate.id());

        assertThatThrownBy(() -> store.enqueue(List.of(duplicate.build(), child.build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(duplicate.id().toString())
                .hasMessageContaining(child.id().toString());
        assertThat(store.find(child.id())).isEmpty();
    }

    @Test
    void aParentRetriedByHandAppliesItsEdgesOnceAndNewEdgesWhenItEndsAgain() {
        JobSpec parent = job();
        JobSpec cancelled = job().after(parent.id());
        enqueue(parent, cancelled);
        complete(Completion.dead(parent.id(), claimOne().fencingToken(), "boom"));
        assertThat(store.retry(parent.id())).isTrue();
        JobId laterChild = enqueueOne(job().after(parent.id()));
        assertThat(stateOf(laterChild)).isEqualTo(JobState.WAITING);

        clock.advanceMillis(7);
        succeed(claimOne());

        assertThat(stateOf(cancelled.id())).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(laterChild)).isEqualTo(JobState.READY);
        assertThat(claimOne().readyAtMillis()).isEqualTo(now());
        assertThat(counts(QUEUE)).isEqualTo(Map.of(JobState.SUCCEEDED, 1L, JobState.CANCELLED, 1L,
                JobState.RUNNING, 1L));
    }

    @Test
    void cancelWaitingChoosesBySmallestIdAcrossSetsAndCountsChosenJobsCancelledByTheCascade() {
        JobId parent = enqueueOne(job().queue("other"));
        JobSpec waiting = job().after(parent);
        JobSpec laterRunAt = job().delay(Duration.ofMinutes(10));
        JobSpec earlierRunAt = job().delay(Duration.ofMinutes(1));
        JobSpec waitsForWaiting = job().after(waiting.id());
        enqueue(waiting, laterRunAt, earlierRunAt, waitsForWaiting);

        // smallest ids: waiting, then laterRunAt (not earlierRunAt, although the scheduled set has it first)
        assertThat(store.cancelWaiting(QUEUE, 2)).isEqualTo(2);
        assertThat(stateOf(laterRunAt.id())).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(earlierRunAt.id())).isEqualTo(JobState.SCHEDULED);
        assertThat(stateOf(waitsForWaiting.id())).isEqualTo(JobState.CANCELLED);

        assertThat(store.cancelWaiting(QUEUE, 5)).isEqualTo(1);
        assertThat(store.cancelWaiting(QUEUE, 5)).isZero();
        assertThat(counts(QUEUE)).isEqualTo(Map.of(JobState.CANCELLED, 4L));
        assertThat(stateOf(parent)).isEqualTo(JobState.READY);
    }

    @Test
    void aChosenJobCancelledByTheCascadeOfAnotherCountsAsCancelled() {
        JobSpec first = job();
        JobSpec second = job().after(first.id());
        JobSpec third = job();
        enqueue(first, second, third);

        assertThat(store.cancelWaiting(QUEUE, 2)).isEqualTo(2);

        assertThat(stateOf(third.id())).isEqualTo(JobState.READY);
        assertThat(counts(QUEUE)).isEqualTo(Map.of(JobState.CANCELLED, 2L, JobState.READY, 1L));
        List<ClaimedJob> left = claim(10).jobs();
        assertThat(ids(left)).containsExactly(third.id());
    }
}
