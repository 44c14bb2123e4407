package dev.sluice.fault;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.StoreCapacityExceededException;
import dev.sluice.fault.check.Expectation;
import dev.sluice.fault.check.RunFigures;
import dev.sluice.fault.harness.Fault;
import dev.sluice.fault.harness.FaultRun;
import dev.sluice.fault.harness.RedisFixture;
import dev.sluice.fault.harness.TcpProxy;
import dev.sluice.fault.ledger.LedgerEvent;
import dev.sluice.fault.node.Work;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static dev.sluice.fault.Runs.STEP;
import static dev.sluice.fault.Runs.assertTargetsMet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Faults of the store and of the way to it: a crash and restart, dropped connections, Redis out of memory. */
class StoreFaultTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "redis"})
    void storeCrashAndRestartMidRun(String store) {
        try (FaultRun run = Runs.run(store, "store restart mid-run")) {
            run.startNodes(run.nodeOptions("one"), run.nodeOptions("two"));
            run.submit(0, 4_000, 20);
            run.awaitEvents(LedgerEvent.Kind.ACCEPTED, null, 1_000, STEP);
            Fault fault = run.crashAndRestartStore();
            assertThat(fault.inFlight()).as("jobs running when the store went down").isNotEmpty();
            assertThat(run.awaitAllEnded(STEP)).isTrue();
            RunFigures figures = run.check();
            assertTargetsMet(figures);
            assertThat(figures.throughputBackMillis()).isLessThanOrEqualTo(RunFigures.THROUGHPUT_BACK_TARGET_MILLIS);
        }
    }

    /** Every connection of the nodes is reset six times, 300 ms apart, then new ones are refused for a second. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "redis"})
    void droppedConnections(String store) {
        try (FaultRun run = Runs.run(store, "dropped connections (TCP proxy)")) {
            TcpProxy proxy = run.fixture().openProxy();
            run.startNodes(run.nodeOptions("one"), run.nodeOptions("two"));
            run.submit(0, 2_000, 20);
            run.awaitEvents(LedgerEvent.Kind.ACCEPTED, null, 300, STEP);
            for (int i = 0; i < 6; i++) {
                run.faultOfAllNodes("connections reset");
                proxy.dropAll();
                Runs.pause(300);
            }
            proxy.refuseNewConnections(true);
            Runs.pause(1_000);
            proxy.refuseNewConnections(false);
            assertThat(proxy.dropped()).as("connections reset").isPositive();
            assertThat(run.awaitAllEnded(STEP)).isTrue();
            assertTargetsMet(run.check());
        }
    }

    /**
     * One node's completion writes take 300 ms each (a slow store for it): its workers finish jobs far faster than
     * it writes their ends, yet it must not claim more than its slots and one completion batch, or it would hoard
     * the queue under leases that, expiring together, would make the other node run them all again.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "redis"})
    void slowCompletionWritesOnOneNode(String store) {
        try (FaultRun run = Runs.run(store, "slow completion writes on one node (300 ms each)")) {
            run.startNodes(run.nodeOptions("slow").concurrency(16).slowWritesMillis(300), run.nodeOptions("fast"));
            run.submit(0, 6_000, 0);
            long mostHeld = 0;
            long deadline = System.nanoTime() + STEP.toNanos();
            while (!run.allEnded() && System.nanoTime() < deadline) {
                mostHeld = Math.max(mostHeld, run.heldBy("slow"));
                Runs.pause(100);
            }
            assertThat(run.awaitAllEnded(STEP)).isTrue();
            RunFigures figures = run.check();
            assertTargetsMet(figures);
            assertThat(figures.duplicateExecutions()).isZero();
            assertThat(mostHeld).as("jobs the slow node held at once (16 workers + a batch of 512)")
                    .isLessThanOrEqualTo(16 + 512);
        }
    }

    /**
     * Redis above maxmemory refuses the scripts that add work before they write: a submit fails with a message
     * that says so and stores nothing of its batch, and the store's invariants hold. The scripts that move, end or
     * delete work are allowed on a full Redis (redis-store README, "Out of memory"), so that a full store drains
     * instead of wedging: a node started then runs every stored job while new submits are still refused.
     */
    @Test
    void redisOutOfMemory() {
        try (FaultRun run = Runs.run("redis", "Redis out of memory (maxmemory)")) {
            RedisFixture redis = (RedisFixture) run.fixture();
            redis.maxMemory(redis.usedMemory() + 2 * 1024 * 1024);
            List<JobId> stored = new ArrayList<>();
            StoreCapacityExceededException full = null;
            for (int batch = 0; batch < 500 && full == null; batch++) {
                List<JobRequest> requests = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    requests.add(Work.normal(batch * 200L + i, 0).request(5, false));
                }
                int before = stored.size();
                full = catchThrowableOfType(() -> stored.addAll(run.submit(requests, Expectation.SUCCEEDED)),
                        StoreCapacityExceededException.class);
                assertThat(stored.size() - before).as("jobs of batch %d", batch).isIn(0, requests.size());
            }
            assertThat(full).as("a submit refused for memory").isNotNull();
            assertThat(full.getMessage()).contains("maxmemory").contains("nothing was stored");
            assertThat(run.expectAllStored(Expectation.SUCCEEDED)).as("jobs in the store: the accepted batches only")
                    .isEqualTo(stored.size());
            assertThat(redis.invariantViolations()).isEmpty();
            // a node started while Redis is full drains the stored jobs; new work is still refused meanwhile
            run.startNode(run.nodeOptions("worker"));
            assertThat(run.awaitAllEnded(STEP)).as("stored jobs run while Redis is full").isTrue();
            List<JobRequest> late = List.of(Work.normal(10_000_000L, 0).request(5, false));
            assertThat(catchThrowableOfType(() -> run.submit(late, Expectation.SUCCEEDED),
                    StoreCapacityExceededException.class)).as("a submit while Redis is still full").isNotNull();
            redis.maxMemory(0);
            RunFigures figures = run.check();
            assertTargetsMet(figures);
            assertThat(figures.jobs()).isEqualTo(stored.size());
        }
    }
}
