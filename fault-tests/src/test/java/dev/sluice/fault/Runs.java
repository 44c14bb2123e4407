package dev.sluice.fault;

import dev.sluice.fault.check.RunFigures;
import dev.sluice.fault.harness.FaultEnvironment;
import dev.sluice.fault.harness.FaultRun;
import dev.sluice.fault.harness.PostgresFixture;
import dev.sluice.fault.harness.RedisFixture;
import dev.sluice.fault.harness.StoreFixture;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What the scenario tests share: a run on a fresh store of a kind, and the targets every run must meet. */
final class Runs {

    /** How long a scenario waits for a step that normally takes seconds. */
    static final Duration STEP = Duration.ofSeconds(60);

    private Runs() {
    }

    /** A run of {@code scenario} on a new "postgres" or "redis" store server. */
    static FaultRun run(String kind, String scenario) {
        return FaultEnvironment.get().run(scenario, newStore(kind, scenario.replaceAll("[^A-Za-z0-9]+", "-")));
    }

    static StoreFixture newStore(String kind, String name) {
        switch (kind) {
            case "postgres":
                return PostgresFixture.start(name);
            case "redis":
                return RedisFixture.start(name);
            default:
                throw new IllegalArgumentException("store kind must be postgres or redis but was '" + kind + "'");
        }
    }

    /**
     * No job lost, no duplicate accepted completion, duplicate executions only of jobs the faulted nodes held,
     * recovery within lease + sweep interval, throughput back within 10 s of a store restart, store invariants.
     */
    static void assertTargetsMet(RunFigures figures) {
        assertThat(figures.missedTargets()).as("missed targets of '%s' on %s", figures.scenario(), figures.store())
                .isEmpty();
    }

    /** Lease + sweep interval, plus what measuring it adds (see {@link RunFigures#MEASUREMENT_SLACK_MILLIS}). */
    static long recoveryTarget() {
        return FaultRun.LEASE_MILLIS + FaultRun.RECOVERY_MILLIS + RunFigures.MEASUREMENT_SLACK_MILLIS;
    }

    /** Paces a fault (never a timing assertion). */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
