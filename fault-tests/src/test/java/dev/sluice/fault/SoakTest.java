package dev.sluice.fault;

import dev.sluice.fault.check.RunFigures;
import dev.sluice.fault.harness.FaultRun;
import dev.sluice.fault.harness.NodeProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static dev.sluice.fault.Runs.assertTargetsMet;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak: {@code sluice.fault.soakJobs} jobs (CI: 100,000; the full soak: 1,000,000) are queued before any node
 * runs, then two node JVMs with 256 MB heaps each run them all. Each job still records its start and end in the
 * ledger, so the checker proves every one ran, once. On PostgreSQL the first minute or so is slow: claims sort
 * every waiting job until autovacuum has analyzed the freshly filled table (see docs/reliability.md).
 */
class SoakTest {

    private static final int JOBS = Integer.getInteger("sluice.fault.soakJobs", 100_000);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "redis"})
    void queuedJobsRunByNodesWith256MbHeaps(String store) {
        try (FaultRun run = Runs.run(store, String.format("soak: %,d queued jobs, 256 MB nodes", JOBS))) {
            // No fault here, so no lease may be lost: leases of 10 s (the default is 30 s) ride out the stalls of a
            // shared machine that 2 s leases would not.
            run.leases(10_000, 2_000);
            run.submit(0, JOBS, 0);
            List<NodeProcess> nodes = List.of(
                    run.launch(run.nodeOptions("soak-1").concurrency(16).claimAhead(64).set("pool", 8), "256m", false),
                    run.launch(run.nodeOptions("soak-2").concurrency(16).claimAhead(64).set("pool", 8), "256m", false));
            for (NodeProcess node : nodes) {
                node.awaitReady(Runs.STEP);
            }
            // generous: a shared 2-core machine runs about 2,000 ledger-recorded jobs a second at worst
            boolean ended = run.awaitAllEnded(Duration.ofSeconds(60 + JOBS / 1_000));
            RunFigures figures = run.check();
            assertTargetsMet(figures);
            assertThat(ended).as("every job ended").isTrue();
            assertThat(figures.duplicateExecutions()).isZero();
            for (NodeProcess node : nodes) {
                assertThat(node.isAlive()).as("%s still runs (no OutOfMemoryError)", node).isTrue();
            }
        }
    }
}
