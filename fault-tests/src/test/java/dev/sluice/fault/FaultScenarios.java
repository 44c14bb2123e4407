package dev.sluice.fault;

import dev.sluice.JobId;
import dev.sluice.fault.check.RunFigures;
import dev.sluice.fault.harness.Fault;
import dev.sluice.fault.harness.FaultEnvironment;
import dev.sluice.fault.harness.FaultRun;
import dev.sluice.fault.harness.NodeProcess;
import dev.sluice.fault.harness.StoreFixture;
import dev.sluice.fault.ledger.LedgerEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scenarios that apply to every store, each on a store server of its own with node JVMs; the subclasses give
 * the store. Every scenario ends with the checker's figures, which must meet the targets: no job lost, no
 * duplicate accepted completion, duplicate executions only for jobs the faulted nodes held, recovery within
 * lease + sweep interval.
 */
abstract class FaultScenarios {

    static final Duration END = Duration.ofSeconds(60);

    /** A new store server for one run. */
    abstract StoreFixture newStore(String name);

    FaultRun run(String scenario) {
        return FaultEnvironment.get().run(scenario, newStore(scenario.replaceAll("[^a-z0-9]+", "-")));
    }

    static void assertTargetsMet(RunFigures figures) {
        assertThat(figures.missedTargets()).as("missed targets of '%s' on %s", figures.scenario(), figures.store())
                .isEmpty();
    }

    @Test
    void killMinus9OfANodeMidJob() {
        try (FaultRun run = run("kill -9 mid-job")) {
            NodeProcess victim = run.startNode(run.nodeOptions("victim"));
            run.startNode(run.nodeOptions("survivor"));
            List<JobId> ids = run.submit(0, 600, 50);
            run.awaitEvents(LedgerEvent.Kind.START, "victim", 40, END);
            Fault fault = run.kill(victim);
            assertThat(fault.inFlight()).as("jobs the victim held when killed").isNotEmpty();
            long recovered = run.awaitTakenBack(fault, END);
            assertThat(run.awaitAllEnded(END)).isTrue();
            RunFigures figures = run.check();
            assertTargetsMet(figures);
            assertThat(figures.jobs()).isEqualTo(ids.size());
            assertThat(recovered).isLessThanOrEqualTo(FaultRun.LEASE_MILLIS + FaultRun.RECOVERY_MILLIS);
        }
    }
}
