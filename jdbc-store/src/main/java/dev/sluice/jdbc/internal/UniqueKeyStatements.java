package dev.sluice.jdbc.internal;

import dev.sluice.JobId;
import dev.sluice.UniqueScope;
import dev.sluice.store.NewJob;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Unique keys beyond "held while live" (which the job table's unique index keeps): a WHILE_WAITING job gives its
 * key up at its first claim (the claim statements set its {@code unique_key} to NULL), and a job with a hold keeps
 * its key after success in {@code unique_hold} until the hold ends on the store's clock. Only jobs that asked for
 * a scope or a hold have a {@code job_unique} row, so jobs without keys pay nothing and jobs with plain keys pay
 * one look-up of {@code unique_hold} per enqueue.
 */
final class UniqueKeyStatements {

    private static final int CHUNK = 500;

    private final StoreContext context;

    UniqueKeyStatements(StoreContext context) {
        this.context = context;
    }

    /** Whether a new job needs a {@code job_unique} row. */
    static boolean hasOptions(NewJob job) {
        return job.uniqueKey() != null
                && (job.uniqueScope() == UniqueScope.WHILE_WAITING || job.uniqueHoldMillis() > 0);
    }

    /** The SQL condition, for claims, that the job bound to the one parameter gives its key up when claimed. */
    String whileWaitingCondition(String idExpression) {
        return "EXISTS (SELECT 1 FROM " + context.tables.uniqueOption() + " u WHERE u.id = " + idExpression
                + " AND u.while_waiting = TRUE)";
    }

    /**
     * After the jobs were inserted: those whose key a SUCCEEDED job still holds on are deleted again, and returned
     * with their holder. Checked after the insert, in a statement of its own, so that a holder that succeeded while
     * the insert waited for it is seen.
     */
    Map<JobId, JobId> dropHeldOn(Connection connection, List<NewJob> inserted) throws SQLException {
        Map<String, List<JobId>> byKey = new HashMap<>();
        for (NewJob job : inserted) {
            if (job.uniqueKey() != null) {
                byKey.computeIfAbsent(job.uniqueKey(), k -> new ArrayList<>()).add(job.id());
            }
        }
        if (byKey.isEmpty()) {
            return Map.of();
        }
        Map<JobId, JobId> heldBy = new HashMap<>();
        List<String> keys = new ArrayList<>(byKey.keySet());
        for (List<String> chunk : Dialect.chunks(keys, CHUNK)) {
            try (PreparedStatement select = connection.prepareStatement("SELECT unique_key, holder FROM "
                    + context.tables.uniqueHold() + " WHERE unique_key IN ("
                    + EnqueueStatements.placeholders(chunk.size()) + ") AND held_until > " + context.nowExpression())) {
                for (int i = 0; i < chunk.size(); i++) {
                    select.setString(i + 1, chunk.get(i));
                }
                context.bindNow(select, chunk.size() + 1);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        JobId holder = context.dialect.getId(rows, 2);
                        for (JobId id : byKey.get(rows.getString(1))) {
                            heldBy.put(id, holder);
                        }
                    }
                }
            }
        }
        if (!heldBy.isEmpty()) {
            List<JobId> ids = new ArrayList<>(heldBy.keySet());
            for (List<JobId> chunk : Dialect.chunks(ids, CHUNK)) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + context.tables.job()
                        + " WHERE id IN (" + EnqueueStatements.placeholders(chunk.size()) + ")")) {
                    context.dialect.setIds(delete, 1, chunk);
                    delete.executeUpdate();
                }
            }
        }
        return heldBy;
    }

    /** Writes the scope and hold of the stored jobs that asked for one. */
    void storeOptions(Connection connection, List<NewJob> stored) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + context.tables.uniqueOption()
                + " (id, unique_key, while_waiting, hold_millis) VALUES (?, ?, ?, ?)")) {
            int batched = 0;
            for (NewJob job : stored) {
                if (hasOptions(job)) {
                    context.dialect.setId(insert, 1, job.id());
                    insert.setString(2, job.uniqueKey());
                    insert.setBoolean(3, job.uniqueScope() == UniqueScope.WHILE_WAITING);
                    insert.setLong(4, job.uniqueHoldMillis());
                    insert.addBatch();
                    batched++;
                }
            }
            if (batched > 0) {
                insert.executeBatch();
            }
        }
    }

    /**
     * Other databases' completions: the jobs among {@code succeeded} (id to its unique key) that asked for a hold
     * keep their key until {@code now + hold}.
     */
    void holdOnAfterSuccess(Connection connection, Map<JobId, String> succeeded, long now) throws SQLException {
        if (succeeded.isEmpty()) {
            return;
        }
        Map<JobId, Long> holds = new HashMap<>();
        for (List<JobId> chunk : Dialect.chunks(new ArrayList<>(succeeded.keySet()), CHUNK)) {
            try (PreparedStatement select = connection.prepareStatement("SELECT id, hold_millis FROM "
                    + context.tables.uniqueOption() + " WHERE id IN (" + EnqueueStatements.placeholders(chunk.size())
                    + ") AND hold_millis > 0")) {
                context.dialect.setIds(select, 1, chunk);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        holds.put(context.dialect.getId(rows, 1), rows.getLong(2));
                    }
                }
            }
        }
        if (holds.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + context.tables.uniqueHold()
                + " WHERE unique_key = ?");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO " + context.tables.uniqueHold()
                     + " (unique_key, holder, held_until) VALUES (?, ?, ?)")) {
            for (Map.Entry<JobId, Long> hold : holds.entrySet()) {
                String key = succeeded.get(hold.getKey());
                delete.setString(1, key);
                delete.addBatch();
                insert.setString(1, key);
                context.dialect.setId(insert, 2, hold.getKey());
                insert.setLong(3, now + hold.getValue());
                insert.addBatch();
            }
            delete.executeBatch(); // an expired hold of an earlier holder of the key
            insert.executeBatch();
        }
    }

    /** The unique key a job asked for, also after a WHILE_WAITING job gave it up; null when it has none. */
    String keyOf(Connection connection, JobId id, String rowKey) throws SQLException {
        if (rowKey != null) {
            return rowKey;
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT unique_key FROM "
                + context.tables.uniqueOption() + " WHERE id = ?")) {
            context.dialect.setId(select, 1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    /** Whether a job other than {@code id} holds the key on after its success, now. */
    boolean heldOnByAnother(Connection connection, String key, JobId id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT holder FROM "
                + context.tables.uniqueHold() + " WHERE unique_key = ? AND held_until > " + context.nowExpression())) {
            select.setString(1, key);
            context.bindNow(select, 2);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() && !context.dialect.getId(rows, 1).equals(id);
            }
        }
    }

    /** Deletes the holds that have ended (a purge's housekeeping). */
    void deleteEndedHolds(Connection connection) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + context.tables.uniqueHold()
                + " WHERE held_until <= " + context.nowExpression())) {
            context.bindNow(delete, 1);
            delete.executeUpdate();
        }
    }
}
