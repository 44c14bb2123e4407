package dev.sluice.fault;

import dev.sluice.fault.check.Expectation;
import dev.sluice.fault.check.RunFigures;
import dev.sluice.fault.harness.Fault;
import dev.sluice.fault.harness.FaultRun;
import dev.sluice.fault.harness.NodeProcess;
import dev.sluice.fault.node.CrashPoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.sluice.fault.Runs.STEP;
import static dev.sluice.fault.Runs.assertTargetsMet;
import static dev.sluice.fault.Runs.recoveryTarget;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deterministic crashes: a node halts its JVM at a named point of its store calls (see {@link CrashPoint}), the
 * n-th time it gets there; the survivor takes its jobs back.
 */
class CrashPointTest {

    @ParameterizedTest(name = "{1} on {0}")
    @CsvSource({
        "postgres, after-claim", "redis, after-claim",
        "postgres, before-completion-flush", "redis, before-completion-flush",
        "postgres, mid-completion-flush", "redis, mid-completion-flush"})
    void workerHaltsAtACrashPoint(String store, String point) {
        try (FaultRun run = Runs.run(store, "halt " + point)) {
            NodeProcess crasher = run.startNodes(run.nodeOptions("crasher").crash(CrashPoint.parse(point), 5),
                    run.nodeOptions("survivor")).get(0);
            run.submit(0, 500, 20);
            Fault fault = run.halted(crasher, STEP);
            assertThat(crasher.haltLine()).as("the crasher halted at its point").contains(point);
            assertThat(fault.inFlight()).as("jobs the crasher held").isNotEmpty();
            assertThat(run.awaitTakenBack(fault, STEP)).isLessThanOrEqualTo(recoveryTarget());
            assertThat(run.awaitAllEnded(STEP)).isTrue();
            assertTargetsMet(run.check());
        }
    }

    /**
     * A producer halts after its second batch is stored, before the submit returns the ids; started again, it
     * submits everything again under the same unique keys: nothing is stored twice, nothing is missing.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "redis"})
    void producerHaltsAfterEnqueueBeforeReturning(String store) {
        try (FaultRun run = Runs.run(store, "halt after-enqueue (producer), then resubmit")) {
            NodeProcess first = run.launch(run.nodeOptions("producer").submit(0, 300, 100, 10).uniqueKeys(0)
                    .crash(CrashPoint.AFTER_ENQUEUE, 2), "256m", true);
            run.halted(first, STEP);
            assertThat(first.haltLine()).contains("after-enqueue");
            assertThat(run.expectAllStored(Expectation.SUCCEEDED)).as("jobs of the two stored batches").isEqualTo(200);
            NodeProcess again = run.launch(run.nodeOptions("producer-again").submit(0, 300, 100, 10).uniqueKeys(0),
                    "256m", true);
            assertThat(again.awaitExit(STEP)).isZero();
            assertThat(run.expectAllStored(Expectation.SUCCEEDED)).as("jobs after the resubmit").isEqualTo(300);
            assertThat(run.ledger().numbersWithSeveralIds()).isEmpty();
            run.startNode(run.nodeOptions("worker"));
            assertThat(run.awaitAllEnded(STEP)).isTrue();
            RunFigures figures = run.check();
            assertTargetsMet(figures);
            assertThat(figures.duplicateExecutions()).isZero();
        }
    }
}
