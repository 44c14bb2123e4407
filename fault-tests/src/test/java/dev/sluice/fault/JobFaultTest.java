package dev.sluice.fault;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.fault.check.Expectation;
import dev.sluice.fault.check.RunFigures;
import dev.sluice.fault.harness.FaultRun;
import dev.sluice.fault.harness.NodeProcess;
import dev.sluice.fault.ledger.LedgerEvent;
import dev.sluice.fault.node.Work;
import dev.sluice.store.StoredJob;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.sluice.fault.Runs.STEP;
import static dev.sluice.fault.Runs.assertTargetsMet;
import static org.assertj.core.api.Assertions.assertThat;

/** Jobs that hurt: a poison job that halts every JVM it runs in, corrupt payload bytes, a unique-key storm. */
class JobFaultTest {

    private static final int POISON_ATTEMPTS = 3;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "redis"})
    void poisonJobEndsDeadAfterMaxAttempts(String store) {
        try (FaultRun run = Runs.run(store, "poison job halts its JVM")) {
            List<NodeProcess> alive = new ArrayList<>(run.startNodes(run.nodeOptions("n1").concurrency(4),
                    run.nodeOptions("n2").concurrency(4)));
            run.submit(0, 300, 30);
            JobId poison = run.submit(List.of(new Work(-1, 0, Work.POISON).request(POISON_ATTEMPTS, false)),
                    Expectation.dead("lease expired")).get(0);
            int started = 2;
            long deadline = System.nanoTime() + STEP.toNanos();
            while (!run.awaitState(poison, JobState.DEAD, Duration.ofMillis(100)) && System.nanoTime() < deadline) {
                for (int i = 0; i < alive.size(); i++) {
                    if (!alive.get(i).isAlive()) {
                        run.halted(alive.get(i), Duration.ofSeconds(10));
                        alive.set(i, run.startNode(run.nodeOptions("n" + ++started).concurrency(4)));
                    }
                }
            }
            assertThat(run.awaitAllEnded(STEP)).isTrue();
            RunFigures figures = run.check();
            assertTargetsMet(figures);
            StoredJob dead = run.store().find(poison).orElseThrow();
            assertThat(dead.state()).isEqualTo(JobState.DEAD);
            assertThat(dead.attempts()).isEqualTo(POISON_ATTEMPTS);
            assertThat(dead.lastError()).contains("lease expired").contains("attempt " + POISON_ATTEMPTS);
            assertThat(run.faults()).as("JVMs the poison job halted").hasSize(POISON_ATTEMPTS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "redis"})
    void corruptPayloadBytesEndTheirJobsDeadAndHarmNothingElse(String store) {
        try (FaultRun run = Runs.run(store, "corrupt payload bytes")) {
            List<JobId> ids = run.submit(0, 300, 10);
            List<JobId> corrupt = new ArrayList<>();
            for (int i = 0; i < ids.size(); i += 30) {
                run.fixture().corruptPayload(ids.get(i), "{\"seq\": \u00ff\u0000 not json".getBytes(
                        StandardCharsets.ISO_8859_1));
                run.expect(ids.get(i), Expectation.dead("payload cannot be decoded"));
                corrupt.add(ids.get(i));
            }
            List<NodeProcess> nodes = run.startNodes(run.nodeOptions("one"), run.nodeOptions("two"));
            assertThat(run.awaitAllEnded(STEP)).isTrue();
            RunFigures figures = run.check();
            assertTargetsMet(figures);
            assertThat(nodes).as("nodes still running").allMatch(NodeProcess::isAlive);
            for (JobId id : corrupt) {
                assertThat(run.store().find(id).orElseThrow().attempts()).as("attempts of corrupt job %s", id)
                        .isEqualTo(1);
            }
        }
    }

    /**
     * Three producer JVMs submit the same 600 unique keys at once, each in its own order, while no worker runs:
     * every key ends up held by one job, and every producer got that job's id back; then each job runs once.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres", "redis"})
    void uniqueKeyStorm(String store) {
        try (FaultRun run = Runs.run(store, "unique-key storm (3 JVMs x 600 keys)")) {
            List<NodeProcess> producers = new ArrayList<>();
            for (int p = 1; p <= 3; p++) {
                producers.add(run.launch(run.nodeOptions("producer-" + p).submit(0, 600, 25, 10).uniqueKeys(p),
                        "256m", true));
            }
            for (NodeProcess producer : producers) {
                assertThat(producer.awaitExit(STEP)).as("exit status of %s", producer).isZero();
            }
            assertThat(run.ledger().numbersWithSeveralIds()).as("keys whose submits returned different ids").isEmpty();
            assertThat(run.expectAllStored(Expectation.SUCCEEDED)).as("jobs stored").isEqualTo(600);
            run.startNodes(run.nodeOptions("worker-1"), run.nodeOptions("worker-2"));
            assertThat(run.awaitAllEnded(STEP)).isTrue();
            RunFigures figures = run.check();
            assertTargetsMet(figures);
            assertThat(figures.duplicateExecutions()).isZero();
            assertThat(run.ledger().count(LedgerEvent.Kind.START, null)).isEqualTo(600);
        }
    }
}
