package dev.sluice.jdbc;

import dev.sluice.JobId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The fan-in race on PostgreSQL, with a trigger (in the test's schema only) that records every WAITING to
 * READY/SCHEDULED change of a job row, so that "exactly once" is counted by the database itself.
 */
class PostgresFanInRaceTest extends FanInRaceTest {

    private String schema;

    @Override
    JdbcJobStore[] openTwoNodes(List<AutoCloseable> toClose) {
        TwoNodes nodes = TwoNodes.open(TwoNodes.Server.POSTGRESQL, "race", null);
        toClose.add(nodes);
        schema = nodes.schema();
        String s = "\"" + schema + "\".";
        TestDatabases.execute(TestDatabases.postgres(),
                "CREATE TABLE " + s + "released (id uuid NOT NULL)",
                "CREATE FUNCTION " + s + "note_release() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN INSERT INTO " + s + "released (id) VALUES (NEW.id); RETURN NEW; END $$",
                "CREATE TRIGGER note_release AFTER UPDATE ON " + s + "sluice_job FOR EACH ROW "
                        + "WHEN (OLD.state = 0 AND NEW.state IN (1, 2)) EXECUTE FUNCTION " + s + "note_release()");
        return nodes.stores();
    }

    @Override
    Map<JobId, Long> releaseCounts() {
        Map<JobId, Long> counts = new HashMap<>();
        try (Connection c = TestDatabases.postgres().getConnection();
             PreparedStatement select = c.prepareStatement("SELECT id, count(*) FROM \"" + schema
                     + "\".released GROUP BY id");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                UUID id = rows.getObject(1, UUID.class);
                counts.put(JobId.of(id.getMostSignificantBits(), id.getLeastSignificantBits()), rows.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }
}
