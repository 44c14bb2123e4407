package dev.sluice.ops;

import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.LeaderLease;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.sluice.ops.OpsTesting.PATIENCE;
import static dev.sluice.ops.OpsTesting.engine;
import static dev.sluice.ops.OpsTesting.fastOperations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LeaderElectionTest {

    private static final Duration LEASE = Duration.ofMillis(1500);

    private final InMemoryJobStore store = InMemoryJobStore.builder().build();
    private final List<Sluice> engines = new ArrayList<>();
    private final List<CutOffStore> views = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(Sluice::close);
    }

    private void startNodes(int count) {
        for (int i = 0; i < count; i++) {
            CutOffStore view = new CutOffStore(store);
            views.add(view);
            engines.add(engine(view).producerOnly(true).nodeId("node-" + i)
                    .operations(fastOperations().leaderLease(LEASE).build()).build().start());
        }
    }

    private int leaderIndex() {
        await().atMost(PATIENCE).until(() -> engines.stream().filter(e -> e.admin().leads()).count() == 1);
        for (int i = 0; i < engines.size(); i++) {
            if (engines.get(i).admin().leads()) {
                return i;
            }
        }
        throw new AssertionError("no leader");
    }

    @Test
    void exactlyOneNodeLeadsAndTheClusterViewShowsIt() {
        startNodes(3);
        int leader = leaderIndex();

        await().atMost(PATIENCE).until(() -> engines.get(0).admin().cluster().nodes().size() == 3);
        ClusterView view = engines.get(0).admin().cluster();
        assertThat(view.leader().nodeId()).isEqualTo("node-" + leader);
        assertThat(view.nodes()).extracting(ClusterView.Node::nodeId).containsExactly("node-0", "node-1", "node-2");
        assertThat(view.nodes()).filteredOn(ClusterView.Node::leader).extracting(ClusterView.Node::nodeId)
                .containsExactly("node-" + leader);
    }

    @Test
    void aCutOffLeaderStopsAtOnceAndAnotherTakesOverWithinTwoLeasePeriods() {
        startNodes(3);
        int old = leaderIndex();
        long oldToken = store.leader("maintenance").orElseThrow().fencingToken();

        views.get(old).cutOff();
        long cutAt = System.nanoTime();
        // Its next renewal fails: it stops leading at once, well before the store lets another node in.
        await().atMost(LEASE).until(() -> !engines.get(old).admin().leads());
        await().atMost(LEASE.multipliedBy(2)).until(() -> {
            Optional<LeaderLease> lease = store.leader("maintenance");
            return lease.isPresent() && !lease.get().owner().equals("node-" + old);
        });
        long tookNanos = System.nanoTime() - cutAt;

        LeaderLease now = store.leader("maintenance").orElseThrow();
        assertThat(now.fencingToken()).isGreaterThan(oldToken);
        assertThat(Duration.ofNanos(tookNanos)).isLessThan(LEASE.multipliedBy(2));
        int successor = Integer.parseInt(now.owner().substring("node-".length()));
        await().atMost(PATIENCE).until(() -> engines.get(successor).admin().leads());
        assertThat(engines.get(old).admin().leads()).isFalse();
    }

    @Test
    void aLeaderThatClosesHandsTheLeaseOverAtOnce() {
        startNodes(2);
        int old = leaderIndex();

        engines.get(old).close();

        // Resigned: the other node takes the lease at its next try (a third of the lease), not after expiry.
        await().atMost(LEASE).until(() -> engines.get(1 - old).admin().leads());
        assertThat(engines.get(1 - old).admin().cluster().nodes()).extracting(ClusterView.Node::nodeId)
                .containsExactly("node-" + (1 - old));
    }

    @Test
    void aNodeThatIsNotEligibleNeverLeads() {
        engines.add(engine(store).producerOnly(true).nodeId("observer")
                .operations(fastOperations().leaderEligible(false).build()).build().start());
        await().atMost(PATIENCE).until(() -> store.nodes().size() == 1);

        assertThat(engines.get(0).admin().leads()).isFalse();
        assertThat(store.leader("maintenance")).isEmpty();
    }
}
