package dev.sluice.graph;

import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.JobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static dev.sluice.graph.GraphTesting.PATIENCE;
import static dev.sluice.graph.GraphTesting.engine;
import static dev.sluice.graph.GraphTesting.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A large random DAG run by many workers on two engines sharing one store: every job runs exactly once, and only
 * after every one of its parents has finished. Each handler takes a ticket when it starts and when it ends; the
 * check compares tickets along every edge.
 */
@Timeout(120)
class RandomDagStressTest {

    private static final int NODES = 4_000;

    @Test
    void everyJobRunsOnceAndOnlyAfterItsParents() throws Exception {
        Random random = new Random(20_240_601);
        List<List<Integer>> parents = randomDag(random);
        AtomicLong tickets = new AtomicLong();
        AtomicLongArray started = new AtomicLongArray(NODES);
        AtomicLongArray ended = new AtomicLongArray(NODES);
        AtomicIntegerArray runs = new AtomicIntegerArray(NODES);
        JobStore store = InMemoryJobStore.builder().retainFinished(NODES).build();
        try (Sluice first = node(store, started, ended, runs, tickets);
             Sluice second = node(store, started, ended, runs, tickets)) {
            JobGraph.Builder builder = JobGraph.builder();
            // Jobs are added in a shuffled order, so that the graph's own ordering is what keeps parents first.
            List<Integer> insertion = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                insertion.add(i);
            }
            Collections.shuffle(insertion, random);
            for (int i : insertion) {
                builder.job("n" + i, job("node", i));
                for (int parent : parents.get(i)) {
                    builder.dependsOn("n" + i, "n" + parent);
                }
            }

            GraphHandle graph = first.submit(builder.build());

            await().atMost(PATIENCE).until(() -> first.graphStatus(graph).isFinished());
            assertThat(second.graphStatus(graph).succeeded()).isTrue();
        }
        int edges = 0;
        for (int child = 0; child < NODES; child++) {
            assertThat(runs.get(child)).as("runs of n%d", child).isEqualTo(1);
            for (int parent : parents.get(child)) {
                edges++;
                assertThat(ended.get(parent)).as("n%d ended before its child n%d started", parent, child)
                        .isLessThan(started.get(child));
            }
        }
        assertThat(edges).isGreaterThan(NODES * 2);
    }

    private static Sluice node(JobStore store, AtomicLongArray started, AtomicLongArray ended,
                               AtomicIntegerArray runs, AtomicLong tickets) {
        return engine().store(store).concurrency(8).claimAhead(16)
                .handler("node", Integer.class, (n, ctx) -> {
                    started.set(n, tickets.incrementAndGet());
                    runs.incrementAndGet(n);
                    // A little uneven work so that workers interleave differently.
                    for (int spin = (n * 31) % 2_000; spin > 0; spin--) {
                        Thread.onSpinWait();
                    }
                    ended.set(n, tickets.incrementAndGet());
                    return null;
                })
                .build().start();
    }

    /** Node i may depend on up to six nodes below i; a few nodes are wide fan-ins of up to 200 parents. */
    private static List<List<Integer>> randomDag(Random random) {
        List<List<Integer>> parents = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            List<Integer> mine = new ArrayList<>();
            int count = i == 0 ? 0 : random.nextInt(100) == 0 ? Math.min(i, 200) : random.nextInt(Math.min(i, 6) + 1);
            while (mine.size() < count) {
                int parent = random.nextInt(i);
                if (!mine.contains(parent)) {
                    mine.add(parent);
                }
            }
            parents.add(mine);
        }
        return parents;
    }
}
