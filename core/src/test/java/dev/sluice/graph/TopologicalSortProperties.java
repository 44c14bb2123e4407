package dev.sluice.graph;

import dev.sluice.internal.graph.Adjacency;
import dev.sluice.internal.graph.TopologicalSort;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Ordering and cycle finding over random graphs. */
class TopologicalSortProperties {

    @Property(tries = 200)
    void everyNodeComesAfterItsParentsInARandomDag(@ForAll @IntRange(min = 1, max = 300) int nodes,
                                                    @ForAll long seed) {
        List<List<Integer>> edges = randomDag(nodes, new Random(seed));
        int[][] parents = parents(edges);
        int[] order = TopologicalSort.order(Adjacency.of(parents), Adjacency.of(children(parents)));

        assertThat(order).isNotNull().hasSize(nodes);
        int[] position = new int[nodes];
        boolean[] seen = new boolean[nodes];
        for (int p = 0; p < nodes; p++) {
            assertThat(seen[order[p]]).as("node %d listed twice", order[p]).isFalse();
            seen[order[p]] = true;
            position[order[p]] = p;
        }
        for (int child = 0; child < nodes; child++) {
            for (int parent : parents[child]) {
                assertThat(position[parent]).isLessThan(position[child]);
            }
        }
    }

    @Property(tries = 200)
    void aBackEdgeMakesACycleThatIsFoundAndIsReal(@ForAll @IntRange(min = 2, max = 300) int nodes,
                                                  @ForAll long seed) {
        Random random = new Random(seed);
        List<List<Integer>> edges = randomDag(nodes, random);
        // A chain 0 -> 1 -> ... -> n-1 and an edge back from the end to a random start makes at least one cycle.
        for (int i = 1; i < nodes; i++) {
            if (!edges.get(i).contains(i - 1)) {
                edges.get(i).add(i - 1);
            }
        }
        int start = random.nextInt(nodes - 1);
        edges.get(start).add(nodes - 1);
        int[][] parents = parents(edges);
        int[][] children = children(parents);

        assertThat(TopologicalSort.order(Adjacency.of(parents), Adjacency.of(children))).isNull();
        List<Integer> cycle = TopologicalSort.findCycle(Adjacency.of(parents), Adjacency.of(children));
        assertThat(cycle).isNotEmpty().doesNotHaveDuplicates();
        for (int i = 0; i < cycle.size(); i++) {
            int parent = cycle.get(i);
            int child = cycle.get((i + 1) % cycle.size());
            assertThat(edges.get(child)).as("%d -> %d is an edge", parent, child).contains(parent);
        }
        assertThat(cycle.get(0)).isEqualTo(cycle.stream().mapToInt(Integer::intValue).min().orElseThrow());
    }

    /** Edges only from lower to higher numbers (a DAG), listed per child, in a shuffled numbering. */
    private static List<List<Integer>> randomDag(int nodes, Random random) {
        List<Integer> names = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            names.add(i);
        }
        Collections.shuffle(names, random);
        List<List<Integer>> edges = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            edges.add(new ArrayList<>());
        }
        for (int child = 1; child < nodes; child++) {
            int count = random.nextInt(Math.min(child, 4) + 1);
            for (int k = 0; k < count; k++) {
                int parent = random.nextInt(child);
                List<Integer> mine = edges.get(names.get(child));
                if (!mine.contains(names.get(parent))) {
                    mine.add(names.get(parent));
                }
            }
        }
        return edges;
    }

    private static int[][] parents(List<List<Integer>> edges) {
        int[][] parents = new int[edges.size()][];
        for (int i = 0; i < parents.length; i++) {
            parents[i] = edges.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return parents;
    }

    private static int[][] children(int[][] parents) {
        List<List<Integer>> children = new ArrayList<>();
        for (int i = 0; i < parents.length; i++) {
            children.add(new ArrayList<>());
        }
        for (int child = 0; child < parents.length; child++) {
            for (int parent : parents[child]) {
                children.get(parent).add(child);
            }
        }
        int[][] out = new int[parents.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = children.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }
}
