package dev.sluice.redis;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.graph.FailurePolicy;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.Dependency;
import dev.sluice.store.NewJob;
import dev.sluice.store.QueueClaim;
import dev.sluice.store.StoredJob;
import dev.sluice.store.WriteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two parents of one child completed at the same moment by two nodes (two stores, two connections, one prefix):
 * the child must become READY exactly once. A double release would show as a count that is off (the per-queue
 * counts move WAITING -> READY twice) or a child claimed twice; a lost one as a child left WAITING.
 */
class DependencyRaceTest {

    private static final int ROUNDS = 300;
    private static final String QUEUE = "race";

    private final String prefix = TestRedis.freshPrefix();
    private final RedisJobStore nodeA = open();
    private final RedisJobStore nodeB = open();

    private RedisJobStore open() {
        return RedisJobStore.builder().client(TestRedis.client()).keyPrefix(prefix).build();
    }

    @AfterEach
    void closeAndDeleteKeys() {
        nodeA.close();
        nodeB.close();
        TestRedis.deleteKeys(prefix);
    }

    @Test
    void childOfTwoParentsCompletedAtOnceOnTwoNodesIsReleasedExactlyOnce() throws Exception {
        runRounds(Completion.Outcome.SUCCEEDED, FailurePolicy.CANCEL_DEPENDENTS, JobState.READY);
    }

    @Test
    void childOfTwoParentsFailingAtOnceUnderRunDependentsIsReleasedExactlyOnce() throws Exception {
        runRounds(Completion.Outcome.DEAD, FailurePolicy.RUN_DEPENDENTS, JobState.READY);
    }

    @Test
    void childOfTwoParentsFailingAtOnceUnderCancelDependentsIsCancelledExactlyOnce() throws Exception {
        runRounds(Completion.Outcome.DEAD, FailurePolicy.CANCEL_DEPENDENTS, JobState.CANCELLED);
    }

    private void runRounds(Completion.Outcome outcome, FailurePolicy policy, JobState expected) throws Exception {
        List<NewJob> jobs = new ArrayList<>();
        List<JobId> children = new ArrayList<>();
        Map<JobId, Integer> sideOfParent = new HashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            NewJob left = job(List.of());
            NewJob right = job(List.of());
            NewJob child = job(List.of(new Dependency(left.id(), policy), new Dependency(right.id(), policy)));
            jobs.addAll(List.of(left, right, child));
            children.add(child.id());
            sideOfParent.put(left.id(), 0);
            sideOfParent.put(right.id(), 1);
        }
        nodeA.enqueue(jobs);
        List<ClaimedJob> parents = nodeA.claim(new ClaimRequest("race", 60_000, 2 * ROUNDS,
                List.of(new QueueClaim(QUEUE, 2 * ROUNDS, Integer.MAX_VALUE, Map.of())))).jobs();
        assertThat(parents).hasSize(2 * ROUNDS);
        List<List<Completion>> sides = List.of(new ArrayList<>(), new ArrayList<>());
        for (ClaimedJob parent : parents) {
            sides.get(sideOfParent.get(parent.id())).add(outcome == Completion.Outcome.SUCCEEDED
                    ? Completion.succeeded(parent.id(), parent.fencingToken(), null)
                    : Completion.dead(parent.id(), parent.fencingToken(), "failed"));
        }

        // each node completes its side one parent per call, both starting together: round by round, the two
        // completions of one child's parents meet in Redis within microseconds of each other
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> completeEach(nodeA, sides.get(0), start));
        CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> completeEach(nodeB, sides.get(1), start));
        assertThat(a.get(60, TimeUnit.SECONDS) + b.get(60, TimeUnit.SECONDS)).isEqualTo(2 * ROUNDS);

        Map<JobState, Long> counts = nodeB.stats().queues().get(QUEUE).counts();
        assertThat(counts.getOrDefault(JobState.WAITING, 0L)).isZero();
        assertThat(counts.getOrDefault(expected, 0L)).isEqualTo(ROUNDS);
        for (StoredJob child : nodeB.findAll(children)) {
            assertThat(child.state()).as("child %s", child.id()).isEqualTo(expected);
        }
        if (expected == JobState.READY) {
            List<ClaimedJob> claimed = nodeB.claim(new ClaimRequest("check", 60_000, 10 * ROUNDS,
                    List.of(new QueueClaim(QUEUE, 10 * ROUNDS, Integer.MAX_VALUE, Map.of())))).jobs();
            Set<JobId> distinct = new HashSet<>();
            claimed.forEach(job -> distinct.add(job.id()));
            assertThat(claimed).hasSize(ROUNDS);
            assertThat(distinct).containsExactlyInAnyOrderElementsOf(children);
        }
    }

    private static int completeEach(RedisJobStore store, List<Completion> completions, CyclicBarrier start) {
        try {
            start.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the other node did not start", e);
        }
        int accepted = 0;
        for (Completion completion : completions) {
            if (store.completeAll(List.of(completion)).get(0) == WriteResult.ACCEPTED) {
                accepted++;
            }
        }
        return accepted;
    }

    private static NewJob job(List<Dependency> parents) {
        return new NewJob(JobId.next(), "race", QUEUE, Priority.NORMAL, new byte[0], 0, 1, 0, null, null,
                System.currentTimeMillis(), parents);
    }
}
