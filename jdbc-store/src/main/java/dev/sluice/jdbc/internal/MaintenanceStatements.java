package dev.sluice.jdbc.internal;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.store.PurgeRequest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Operator calls over many jobs: cancelling what waits in a queue, purging finished jobs. Cold paths, each one
 * bounded transaction whose size the caller chooses.
 */
final class MaintenanceStatements {

    private static final int CHUNK = 500;
    private static final int CANCELLED = JobState.CANCELLED.ordinal();

    private final StoreContext context;
    private final DependencyRelease release;
    private final UniqueKeyStatements uniqueKeys;

    MaintenanceStatements(StoreContext context, DependencyRelease release, UniqueKeyStatements uniqueKeys) {
        this.context = context;
        this.release = release;
        this.uniqueKeys = uniqueKeys;
    }

    int cancelWaiting(String queue, int max) {
        Objects.requireNonNull(queue, "queue");
        if (max < 0) {
            throw new IllegalArgumentException("max must be >= 0 but was " + max);
        }
        if (max == 0) {
            return 0;
        }
        boolean[] released = new boolean[1];
        int cancelled = context.inTransaction("cancel of waiting jobs of queue '" + queue + "'", c -> {
            released[0] = false;
            List<JobId> ids = new ArrayList<>();
            // no SKIP LOCKED: a job that a claim holds is waited for and then, RUNNING, left out; skipping it
            // could return fewer than max while more jobs wait
            try (PreparedStatement select = c.prepareStatement("SELECT id FROM " + context.tables.job()
                    + " WHERE queue = ? AND state IN (0, 1, 2) ORDER BY id LIMIT ? FOR UPDATE")) {
                select.setString(1, queue);
                select.setInt(2, max);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ids.add(context.dialect.getId(rows, 1));
                    }
                }
            }
            if (ids.isEmpty()) {
                return 0;
            }
            long now = context.now(c);
            Map<JobId, JobState> ended = new HashMap<>();
            for (List<JobId> chunk : Dialect.chunks(ids, CHUNK)) {
                try (PreparedStatement update = c.prepareStatement("UPDATE " + context.tables.job() + " SET state = "
                        + CANCELLED + ", finished_at = ? WHERE id IN (" + EnqueueStatements.placeholders(chunk.size())
                        + ")")) {
                    update.setLong(1, now);
                    context.dialect.setIds(update, 2, chunk);
                    update.executeUpdate();
                }
                for (JobId id : chunk) {
                    ended.put(id, JobState.CANCELLED);
                }
            }
            released[0] = release.parentsEnded(c, now, ended);
            if (released[0]) {
                context.notifyOtherNodes(c);
            }
            return ids.size();
        });
        if (released[0]) {
            context.signalLocalWork();
        }
        return cancelled;
    }

    int purge(PurgeRequest request) {
        Objects.requireNonNull(request, "request");
        StringJoiner states = new StringJoiner(", ", "(", ")");
        for (JobState state : request.states()) {
            states.add(Integer.toString(state.ordinal())); // enum codes, never user text
        }
        return context.inTransaction("purge of finished jobs", c -> {
            List<JobId> victims = victims(c, request, states.toString());
            if (victims.isEmpty()) {
                return 0;
            }
            // lock what is still finished (a job may have been retried since the pick), then delete it everywhere
            List<JobId> locked = new ArrayList<>();
            for (List<JobId> chunk : Dialect.chunks(victims, CHUNK)) {
                try (PreparedStatement select = c.prepareStatement("SELECT id FROM " + context.tables.job()
                        + " WHERE id IN (" + EnqueueStatements.placeholders(chunk.size()) + ") AND state IN "
                        + states + " ORDER BY id FOR UPDATE")) {
                    context.dialect.setIds(select, 1, chunk);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            locked.add(context.dialect.getId(rows, 1));
                        }
                    }
                }
            }
            Tables tables = context.tables;
            deleteWhereIdIn(c, tables.edge(), "parent", locked);
            deleteWhereIdIn(c, tables.edge(), "child", locked);
            deleteWhereIdIn(c, tables.history(), "job_id", locked);
            deleteWhereIdIn(c, tables.result(), "id", locked);
            deleteWhereIdIn(c, tables.progress(), "id", locked);
            deleteWhereIdIn(c, tables.waitCounter(), "id", locked);
            deleteWhereIdIn(c, tables.uniqueOption(), "id", locked);
            deleteWhereIdIn(c, tables.job(), "id", locked);
            uniqueKeys.deleteEndedHolds(c);
            return locked.size();
        });
    }

    /**
     * The jobs a purge picks, oldest finish first: finished before the cut-off, or beyond the newest
     * {@code keepNewestPerType} of their type (a window over the finished jobs of those states).
     */
    private List<JobId> victims(Connection connection, PurgeRequest request, String states) throws SQLException {
        String job = context.tables.job();
        String sql;
        if (request.keepNewestPerType() < 0) {
            sql = "SELECT id FROM " + job + " WHERE state IN " + states + " AND finished_at < ?";
        } else {
            sql = "SELECT id FROM (SELECT id, finished_at, ROW_NUMBER() OVER (PARTITION BY type "
                    + "ORDER BY finished_at DESC, id DESC) AS newest FROM " + job + " WHERE state IN " + states
                    + ") x WHERE newest > ?" + (request.finishedBefore() == null ? "" : " OR finished_at < ?");
        }
        sql += " ORDER BY finished_at, id LIMIT ?";
        List<JobId> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            int index = 1;
            if (request.keepNewestPerType() >= 0) {
                select.setInt(index++, request.keepNewestPerType());
            }
            if (request.finishedBefore() != null) {
                select.setLong(index++, request.finishedBefore().toEpochMilli());
            }
            select.setInt(index, request.limit());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(context.dialect.getId(rows, 1));
                }
            }
        }
        return ids;
    }

    /** Deletes the rows of a table whose id column is among {@code ids}: one array statement on PostgreSQL. */
    private void deleteWhereIdIn(Connection connection, String table, String column, List<JobId> ids)
            throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        if (context.dialect.isPostgres()) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE " + column
                    + " = ANY(?::uuid[])")) {
                delete.setArray(1, connection.createArrayOf("uuid", Dialect.uuids(ids)));
                delete.executeUpdate();
            }
            return;
        }
        for (List<JobId> chunk : Dialect.chunks(ids, CHUNK)) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE " + column
                    + " IN (" + EnqueueStatements.placeholders(chunk.size()) + ")")) {
                context.dialect.setIds(delete, 1, chunk);
                delete.executeUpdate();
            }
        }
    }

}
