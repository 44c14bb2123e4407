package dev.sluice.fault;

import dev.sluice.JobId;
import dev.sluice.fault.check.RunFigures;
import dev.sluice.fault.harness.FaultRun;
import dev.sluice.fault.harness.RedisFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The checker itself: it must see what it is there to see (a lost job, a breached store invariant). */
class CheckerTest {

    @Test
    void postgresBreachesAndALostJobAreReported() throws Exception {
        try (FaultRun run = Runs.run("postgres", "checker self-test (planted breaches, not a scenario)")) {
            List<JobId> ids = run.submit(0, 3, 0);
            try (Connection c = DriverManager.getConnection(run.fixture().directUrl());
                 PreparedStatement lease = c.prepareStatement(
                         "UPDATE fault.sluice_job SET lease_owner = 'ghost' WHERE id = ?");
                 PreparedStatement delete = c.prepareStatement("DELETE FROM fault.sluice_job WHERE id = ?")) {
                lease.setObject(1, ids.get(0).toUuid());
                lease.executeUpdate();
                delete.setObject(1, ids.get(1).toUuid());
                delete.executeUpdate();
            }
            RunFigures figures = run.figures();
            assertThat(figures.problems()).anyMatch(p -> p.contains("jobs with a lease that are not RUNNING"));
            assertThat(figures.lost()).as("the deleted job and the two that never ran").isEqualTo(3);
            assertThat(figures.missedTargets()).isNotEmpty();
        }
    }

    @Test
    void redisJobInTwoIndexSetsIsReported() {
        try (FaultRun run = Runs.run("redis", "checker self-test (planted breaches, not a scenario)")) {
            JobId id = run.submit(0, 1, 0).get(0);
            RedisClient client = RedisClient.create(((RedisFixture) run.fixture()).directUrl());
            try (StatefulRedisConnection<String, String> redis = client.connect()) {
                redis.sync().zadd("{fault:}running", 1, id.toString());
            } finally {
                client.shutdown();
            }
            assertThat(run.fixture().invariantViolations())
                    .anyMatch(p -> p.contains("job " + id + " in state READY is in [{fault:}running"));
        }
    }
}
