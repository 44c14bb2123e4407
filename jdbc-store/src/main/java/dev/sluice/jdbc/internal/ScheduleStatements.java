package dev.sluice.jdbc.internal;

import dev.sluice.store.EnqueueResult;
import dev.sluice.store.NewJob;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Fires of recurring jobs, stored once: the schedule's row holds its latest fire, locked while the fire's job is
 * enqueued in the same transaction, so two nodes (or a catch-up) never store the same fire twice.
 */
final class ScheduleStatements {

    private final StoreContext context;
    private final EnqueueStatements enqueue;

    ScheduleStatements(StoreContext context, EnqueueStatements enqueue) {
        this.context = context;
        this.enqueue = enqueue;
    }

    private record Fire(EnqueueResult result, boolean stored) {
    }

    Optional<EnqueueResult> enqueueFire(String scheduleId, long fireTimeMillis, NewJob job) {
        Objects.requireNonNull(scheduleId, "scheduleId");
        Objects.requireNonNull(job, "job");
        Fire fire = context.inTransaction("fire of schedule '" + scheduleId + "' at " + fireTimeMillis, c -> {
            Long last = lockLastFire(c, scheduleId);
            if (last != null && last >= fireTimeMillis) {
                return new Fire(null, false);
            }
            recordFire(c, scheduleId, fireTimeMillis, last == null);
            EnqueueStatements.Result stored = enqueue.enqueueWithin(c, job);
            return new Fire(stored.results().get(0), stored.storedAny());
        });
        if (fire.stored()) {
            context.signalLocalWork();
        }
        return Optional.ofNullable(fire.result());
    }

    OptionalLong lastFire(String scheduleId) {
        Objects.requireNonNull(scheduleId, "scheduleId");
        return context.inTransaction("last fire of schedule '" + scheduleId + "'", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT last_fire FROM "
                    + context.tables.scheduleFire() + " WHERE schedule_id = ?")) {
                select.setString(1, scheduleId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
                }
            }
        });
    }

    private Long lockLastFire(Connection connection, String scheduleId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT last_fire FROM "
                + context.tables.scheduleFire() + " WHERE schedule_id = ? FOR UPDATE")) {
            select.setString(1, scheduleId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : null;
            }
        }
    }

    private void recordFire(Connection connection, String scheduleId, long fireTimeMillis, boolean first)
            throws SQLException {
        String sql = first
                ? "INSERT INTO " + context.tables.scheduleFire() + " (last_fire, schedule_id) VALUES (?, ?)"
                : "UPDATE " + context.tables.scheduleFire() + " SET last_fire = ? WHERE schedule_id = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, fireTimeMillis);
            statement.setString(2, scheduleId);
            statement.executeUpdate();
        } catch (SQLException e) {
            if (first && context.dialect.isUniqueViolation(e)) {
                // another node stored the schedule's first fire meanwhile: run again, and lock its row this time
                throw new StoreContext.RetryTransaction("schedule '" + scheduleId + "' fired concurrently");
            }
            throw e;
        }
    }
}
