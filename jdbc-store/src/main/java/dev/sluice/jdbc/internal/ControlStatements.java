package dev.sluice.jdbc.internal;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.store.CancelResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Cancel, pause and resume, reprioritize, retry: cold paths, each a short transaction on one locked row. */
final class ControlStatements {

    private final StoreContext context;
    private final DependencyRelease release;
    private final UniqueKeyStatements uniqueKeys;

    ControlStatements(StoreContext context, DependencyRelease release, UniqueKeyStatements uniqueKeys) {
        this.context = context;
        this.release = release;
        this.uniqueKeys = uniqueKeys;
    }

    /** The locked row of a job, or null when there is none. */
    private record Locked(JobState state, long dueAt, String uniqueKey, int priority) {
    }

    private Locked lock(Connection connection, JobId id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT state, due_at, unique_key, priority FROM "
                + context.tables.job() + " WHERE id = ? FOR UPDATE")) {
            context.dialect.setId(statement, 1, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? new Locked(JobState.values()[rows.getInt(1)], rows.getLong(2), rows.getString(3),
                        rows.getInt(4))
                        : null;
            }
        }
    }

    CancelResult cancel(JobId id) {
        Objects.requireNonNull(id, "id");
        boolean[] released = new boolean[1];
        CancelResult result = context.inTransaction("cancel of job " + id, c -> {
            released[0] = false; // this attempt's, not a rolled-back one's
            Locked job = lock(c, id);
            if (job == null) {
                return CancelResult.NOT_FOUND;
            }
            switch (job.state()) {
                case WAITING:
                case SCHEDULED:
                case READY:
                    long now = context.now(c);
                    try (PreparedStatement update = c.prepareStatement("UPDATE " + context.tables.job()
                            + " SET state = 6, finished_at = ? WHERE id = ?")) {
                        update.setLong(1, now);
                        context.dialect.setId(update, 2, id);
                        update.executeUpdate();
                    }
                    released[0] = release.parentsEnded(c, now, Map.of(id, JobState.CANCELLED));
                    if (released[0]) {
                        context.notifyOtherNodes(c);
                    }
                    return CancelResult.CANCELLED;
                case RUNNING:
                    try (PreparedStatement update = c.prepareStatement("UPDATE " + context.tables.job()
                            + " SET cancel_requested = TRUE WHERE id = ?")) {
                        context.dialect.setId(update, 1, id);
                        update.executeUpdate();
                    }
                    return CancelResult.CANCEL_REQUESTED;
                default:
                    return CancelResult.ALREADY_FINISHED;
            }
        });
        if (released[0]) { // children with RUN_DEPENDENTS or IGNORE edges may have become READY
            context.signalLocalWork();
        }
        return result;
    }

    void pauseQueue(String queue) {
        Objects.requireNonNull(queue, "queue");
        context.inTransaction("pause of queue '" + queue + "'", c -> {
            if (!pausedQueues(c).contains(queue)) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + context.tables.pause()
                        + " (queue, paused_at) VALUES (?, ?)")) {
                    insert.setString(1, queue);
                    insert.setLong(2, context.now(c));
                    insert.executeUpdate();
                } catch (SQLException e) {
                    if (!context.dialect.isUniqueViolation(e)) {
                        throw e;
                    }
                    throw new StoreContext.RetryTransaction("queue paused concurrently"); // then seen as paused
                }
            }
            return null;
        });
    }

    void resumeQueue(String queue) {
        Objects.requireNonNull(queue, "queue");
        int deleted = context.inTransaction("resume of queue '" + queue + "'", c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + context.tables.pause()
                    + " WHERE queue = ?")) {
                delete.setString(1, queue);
                int count = delete.executeUpdate();
                if (count > 0) {
                    context.notifyOtherNodes(c);
                }
                return count;
            }
        });
        if (deleted > 0) {
            context.signalLocalWork();
        }
    }

    Set<String> pausedQueues() {
        return context.inTransaction("paused queues", this::pausedQueues);
    }

    private Set<String> pausedQueues(Connection connection) throws SQLException {
        Set<String> paused = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT queue FROM " + context.tables.pause());
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                paused.add(rows.getString(1));
            }
        }
        return Set.copyOf(paused);
    }

    boolean reprioritize(JobId id, Priority priority) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(priority, "priority");
        return context.inTransaction("reprioritize of job " + id, c -> {
            Locked job = lock(c, id);
            if (job == null || (job.state() != JobState.WAITING && job.state() != JobState.SCHEDULED
                    && job.state() != JobState.READY)) {
                return false;
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE " + context.tables.job()
                    + " SET priority = ?, sort_key = ? WHERE id = ?")) {
                update.setInt(1, priority.weight());
                update.setLong(2, context.sortKey(job.dueAt(), priority.weight()));
                context.dialect.setId(update, 3, id);
                update.executeUpdate();
            }
            return true;
        });
    }

    boolean retry(JobId id) {
        Objects.requireNonNull(id, "id");
        boolean retried = context.inTransaction("retry of job " + id, c -> {
            Locked job = lock(c, id);
            if (job == null || (job.state() != JobState.DEAD && job.state() != JobState.CANCELLED)) {
                return false;
            }
            // a WHILE_WAITING job that gave its key up at its claim takes it back, as a job sent back by hand
            String key = uniqueKeys.keyOf(c, id, job.uniqueKey());
            if (key != null && (keyHeldByAnother(c, key, id) || uniqueKeys.heldOnByAnother(c, key, id))) {
                return false;
            }
            long now = context.now(c);
            try (PreparedStatement update = c.prepareStatement("UPDATE " + context.tables.job()
                    + " SET state = 2, attempts = 0, due_at = ?, sort_key = ?, finished_at = NULL, cancel_requested = FALSE, "
                    + "lease_owner = NULL, lease_expires_at = NULL, unique_key = ? WHERE id = ?");
                 PreparedStatement deleteResult = c.prepareStatement("DELETE FROM " + context.tables.result()
                         + " WHERE id = ?")) {
                update.setLong(1, now);
                update.setLong(2, context.sortKey(now, job.priority()));
                update.setString(3, key);
                context.dialect.setId(update, 4, id);
                update.executeUpdate();
                context.dialect.setId(deleteResult, 1, id);
                deleteResult.executeUpdate();
            } catch (SQLException e) {
                if (context.dialect.isUniqueViolation(e)) {
                    throw new StoreContext.RetryTransaction("unique key of job " + id + " taken concurrently");
                }
                throw e;
            }
            context.notifyOtherNodes(c);
            return true;
        });
        if (retried) {
            context.signalLocalWork();
        }
        return retried;
    }

    private boolean keyHeldByAnother(Connection connection, String key, JobId id) throws SQLException {
        String column = context.dialect.liveKeyColumn();
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM " + context.tables.job()
                + " WHERE " + column + " = ?" + context.dialect.liveKeyCondition())) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (!context.dialect.getId(rows, 1).equals(id)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
