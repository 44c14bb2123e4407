package dev.sluice.jdbc;

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
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes (two store objects on two pools) end the two parents of the same children at the same instant, round
 * after round: every child must end READY exactly once when both parents succeed, and CANCELLED (never READY) when
 * one of them dies. And a child stored on one node while its parent ends on the other must not be left WAITING. Each round's children are shared by both parents and named in opposite orders by nothing but
 * the database, so a missing lock order shows up as deadlocks and a lost counter update as a child left WAITING.
 * A subclass says how to open the two stores on one database and how to count releases.
 */
abstract class FanInRaceTest {

    static final int ROUNDS = 100;
    static final int CHILDREN = 16;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    /** Two stores on one fresh schema (one pool each, as two nodes); both are closed after the test. */
    abstract JdbcJobStore[] openTwoNodes(List<AutoCloseable> toClose);

    /** How many times each job became READY or SCHEDULED from WAITING, or null where the test cannot tell. */
    Map<JobId, Long> releaseCounts() {
        return null;
    }

    @AfterEach
    void closeEverything() throws Exception {
        threads.shutdownNow();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoParentsEndingAtTheSameInstantOnTwoNodesReleaseEachChildExactlyOnce() throws Exception {
        JdbcJobStore[] nodes = openTwoNodes(toClose);
        CyclicBarrier together = new CyclicBarrier(2);
        List<JobId> released = new ArrayList<>();
        List<JobId> cancelled = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            boolean oneDies = round % 3 == 2;
            NewJob first = parent();
            NewJob second = parent();
            List<NewJob> jobs = new ArrayList<>(List.of(first, second));
            for (int i = 0; i < CHILDREN; i++) {
                jobs.add(child(first.id(), second.id()));
            }
            nodes[0].enqueue(jobs);
            List<ClaimedJob> claimed = nodes[0].claim(new ClaimRequest("race-node", 60_000, 2,
                    List.of(new QueueClaim("race", 2, Integer.MAX_VALUE, Map.of())))).jobs();
            assertThat(claimed).hasSize(2);

            List<Future<List<WriteResult>>> ends = new ArrayList<>();
            for (int n = 0; n < 2; n++) {
                ClaimedJob parent = claimed.get(n);
                JdbcJobStore node = nodes[n];
                Completion end = oneDies && n == 1
                        ? Completion.dead(parent.id(), parent.fencingToken(), "round " + round)
                        : Completion.succeeded(parent.id(), parent.fencingToken(), null);
                ends.add(threads.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return node.completeAll(List.of(end));
                }));
            }
            for (Future<List<WriteResult>> end : ends) {
                assertThat(end.get(30, TimeUnit.SECONDS)).containsExactly(WriteResult.ACCEPTED);
            }

            List<JobId> children = new ArrayList<>();
            jobs.subList(2, jobs.size()).forEach(child -> children.add(child.id()));
            List<StoredJob> stored = nodes[1].findAll(children);
            JobState expected = oneDies ? JobState.CANCELLED : JobState.READY;
            String where = "round " + round;
            assertThat(stored).as(where).hasSize(CHILDREN).allSatisfy(child ->
                    assertThat(child.state()).as("%s, child %s", where, child.id()).isEqualTo(expected));
            (oneDies ? cancelled : released).addAll(children);
        }
        Map<JobId, Long> releases = releaseCounts();
        if (releases != null) {
            for (JobId id : released) {
                assertThat(releases.get(id)).as("releases of %s", id).isEqualTo(1L);
            }
            for (JobId id : cancelled) {
                assertThat(releases).as("cancelled children are never released").doesNotContainKey(id);
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void childStoredWhileItsParentEndsOnAnotherNodeIsNeverLeftWaiting() throws Exception {
        JdbcJobStore[] nodes = openTwoNodes(toClose);
        CyclicBarrier together = new CyclicBarrier(2);
        for (int round = 0; round < ROUNDS; round++) {
            NewJob parent = parent();
            nodes[0].enqueue(List.of(parent));
            ClaimedJob claimed = nodes[0].claim(new ClaimRequest("race-node", 60_000, 1,
                    List.of(new QueueClaim("race", 1, Integer.MAX_VALUE, Map.of())))).jobs().get(0);
            NewJob onlyChild = child(parent.id());
            Future<?> store = threads.submit(() -> {
                together.await(10, TimeUnit.SECONDS);
                return nodes[0].enqueue(List.of(onlyChild));
            });
            Future<?> end = threads.submit(() -> {
                together.await(10, TimeUnit.SECONDS);
                return nodes[1].completeAll(List.of(Completion.succeeded(claimed.id(), claimed.fencingToken(), null)));
            });
            store.get(30, TimeUnit.SECONDS);
            end.get(30, TimeUnit.SECONDS);

            assertThat(nodes[1].find(onlyChild.id()).orElseThrow().state()).as("round %d", round)
                    .isEqualTo(JobState.READY);
        }
    }

    private static NewJob parent() {
        return new NewJob(JobId.next(), "parent", "race", Priority.NORMAL, new byte[0], 0, 1, 0, null, null,
                System.currentTimeMillis());
    }

    private static NewJob child(JobId... parents) {
        List<Dependency> edges = new ArrayList<>();
        for (JobId parent : parents) {
            edges.add(new Dependency(parent, FailurePolicy.CANCEL_DEPENDENTS));
        }
        return new NewJob(JobId.next(), "child", "race-children", Priority.NORMAL, new byte[0], 0, 1, 0, null, null,
                System.currentTimeMillis(), edges);
    }
}
