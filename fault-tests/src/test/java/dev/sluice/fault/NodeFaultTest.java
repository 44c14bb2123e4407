package dev.sluice.fault;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.fault.check.RunFigures;
import dev.sluice.fault.harness.Fault;
import dev.sluice.fault.harness.FaultRun;
import dev.sluice.fault.harness.NodeProcess;
import dev.sluice.fault.ledger.LedgerEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static dev.sluice.fault.Runs.STEP;
import static dev.sluice.fault.Runs.assertTargetsMet;
import static dev.sluice.fault.Runs.recoveryTarget;
import static org.assertj.core.api.Assertions.assertThat;

/** Faults of one node JVM: kill -9, SIGSTOP past its lease, SIGTERM (drain), and clock skew between nodes. */
class NodeFaultTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "redis"})
    void killMinus9OfANodeMidJob(String store) {
        try (FaultRun run = Runs.run(store, "kill -9 mid-job")) {
            NodeProcess victim = run.startNodes(run.nodeOptions("victim"), run.nodeOptions("survivor")).get(0);
            run.submit(0, 600, 50);
            run.awaitEvents(LedgerEvent.Kind.START, "victim", 40, STEP);
            Fault fault = run.kill(victim);
            assertThat(fault.inFlight()).as("jobs the victim held when killed").isNotEmpty();
            assertThat(run.awaitTakenBack(fault, STEP)).isLessThanOrEqualTo(recoveryTarget());
            assertThat(run.awaitAllEnded(STEP)).isTrue();
            assertTargetsMet(run.check());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "redis"})
    void frozenNodeLearnsItLostItsLeasesAndItsLateCompletionsAreRefused(String store) {
        try (FaultRun run = Runs.run(store, "SIGSTOP past lease, then SIGCONT")) {
            NodeProcess frozen = run.startNodes(run.nodeOptions("frozen").concurrency(4), run.nodeOptions("awake"))
                    .get(0);
            run.submit(0, 300, 200);
            run.awaitEvents(LedgerEvent.Kind.START, "frozen", 8, STEP);
            Fault fault = run.freeze(frozen);
            assertThat(fault.inFlight()).as("jobs the frozen node held").isNotEmpty();
            assertThat(run.awaitTakenBack(fault, STEP)).isLessThanOrEqualTo(recoveryTarget());
            for (JobId id : fault.inFlight().keySet()) {
                assertThat(run.awaitState(id, JobState.SUCCEEDED, STEP)).as("job %s run again elsewhere", id).isTrue();
            }
            long thawedAt = System.currentTimeMillis();
            frozen.thaw();
            run.awaitEvents(LedgerEvent.Kind.STALE, "frozen", 1, STEP);
            run.submit(1_000, 200, 50);
            assertThat(run.awaitAllEnded(STEP)).isTrue();
            RunFigures figures = run.check();
            assertTargetsMet(figures);
            assertThat(run.ledger().distinctJobs(LedgerEvent.Kind.LEASE_LOST, "frozen"))
                    .as("jobs whose lease loss the thawed node learned of").isEqualTo(fault.inFlight().size());
            assertThat(figures.staleCompletionsRefused()).isPositive();
            assertThat(run.ledger().countSince(LedgerEvent.Kind.ACCEPTED, "frozen", thawedAt))
                    .as("completions the thawed node got accepted afterwards").isPositive();
        }
    }

    /**
     * A lone node frozen past its lease: once thawed, its own sweep takes its expired jobs back and it claims them
     * again while their old attempts still sit in its buffer or run (how the soak once lost control, see
     * LeaseFencingTest in core). Recovery is timed from the thaw.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "redis"})
    void loneNodeFrozenPastItsLeaseTakesItsOwnJobsBack(String store) {
        try (FaultRun run = Runs.run(store, "lone node frozen past its lease")) {
            NodeProcess lone = run.startNode(run.nodeOptions("lone").concurrency(4).claimAhead(8));
            run.submit(0, 300, 100);
            run.awaitEvents(LedgerEvent.Kind.START, "lone", 8, STEP);
            Fault fault = run.freeze(lone);
            Runs.pause(FaultRun.LEASE_MILLIS + 1_500);
            long thawedAt = System.currentTimeMillis();
            lone.thaw();
            assertThat(run.awaitTakenBack(fault, thawedAt, STEP)).isLessThanOrEqualTo(recoveryTarget());
            assertThat(run.awaitAllEnded(STEP)).isTrue();
            assertTargetsMet(run.check());
        }
    }

    /**
     * PostgreSQL only (Redis has no transactions): a node freezes inside a renewal or completion transaction, after
     * it locked its running rows. Recovery skips locked rows, so the other node can take those jobs back only once
     * the server ends the frozen session: the nodes connect with {@code idle_in_transaction_session_timeout} below
     * the lease, as jdbc-store/README.md asks.
     */
    @Test
    void nodeFrozenInsideAStoreTransaction() {
        try (FaultRun run = Runs.run("postgres", "node frozen inside a store transaction (row locks held)")) {
            NodeProcess frozen = run.startNodes(run.nodeOptions("frozen").concurrency(4).freezeInTransaction(),
                    run.nodeOptions("awake")).get(0);
            run.submit(0, 400, 100);
            Fault fault = run.frozeItself(frozen, STEP);
            assertThat(fault.inFlight()).as("jobs the frozen node held").isNotEmpty();
            assertThat(run.awaitTakenBack(fault, STEP)).isLessThanOrEqualTo(recoveryTarget());
            frozen.thaw();
            assertThat(run.awaitAllEnded(STEP)).isTrue();
            assertTargetsMet(run.check());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "redis"})
    void sigtermDuringDrainHandsClaimsBackWithoutDuplicates(String store) {
        try (FaultRun run = Runs.run(store, "SIGTERM during drain")) {
            NodeProcess leaving = run.startNodes(run.nodeOptions("leaving").concurrency(4).claimAhead(8),
                    run.nodeOptions("staying")).get(0);
            run.submit(0, 400, 100);
            run.awaitEvents(LedgerEvent.Kind.START, "leaving", 12, STEP);
            leaving.terminate();
            assertThat(leaving.awaitExit(Duration.ofSeconds(30))).as("exit status after SIGTERM").isEqualTo(143);
            assertThat(run.awaitAllEnded(STEP)).isTrue();
            RunFigures figures = run.check();
            assertTargetsMet(figures);
            assertThat(figures.duplicateExecutions()).isZero();
            assertThat(figures.staleCompletionsRefused()).isZero();
            assertThat(run.ledger().countOutcome(LedgerEvent.Kind.ACCEPTED, "leaving", "RELEASED"))
                    .as("claims the leaving node handed back").isPositive();
        }
    }

    /**
     * Three nodes whose clocks are two minutes apart: leases are judged by the store's clock, so no node takes a
     * job from another early; a killed node's jobs come back within lease + sweep; the jobs a node far ahead
     * hands back when it stops run at once, not when its clock says.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "redis"})
    void clockSkewBetweenNodes(String store) {
        try (FaultRun run = Runs.run(store, "clock skew between nodes (±2 min)")) {
            List<NodeProcess> nodes = run.startNodes(
                    run.nodeOptions("ahead").clockSkewMillis(120_000).concurrency(4).claimAhead(8),
                    run.nodeOptions("behind").clockSkewMillis(-120_000),
                    run.nodeOptions("exact"));
            NodeProcess ahead = nodes.get(0);
            NodeProcess behind = nodes.get(1);
            run.submit(0, 900, 50);
            run.awaitEvents(LedgerEvent.Kind.START, "ahead", 12, STEP);
            run.awaitEvents(LedgerEvent.Kind.START, "behind", 12, STEP);
            Fault fault = run.kill(behind);
            assertThat(run.awaitTakenBack(fault, STEP)).isLessThanOrEqualTo(recoveryTarget());
            ahead.terminate();
            assertThat(ahead.awaitExit(Duration.ofSeconds(30))).isEqualTo(143);
            boolean ended = run.awaitAllEnded(Duration.ofSeconds(30));
            RunFigures figures = run.check();
            assertTargetsMet(figures);
            assertThat(ended).as("every job ended within 30 s").isTrue();
            assertThat(figures.staleCompletionsRefused()).as("completions refused: a lease taken early").isZero();
        }
    }
}
