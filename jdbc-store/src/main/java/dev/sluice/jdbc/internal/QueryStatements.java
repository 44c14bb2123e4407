package dev.sluice.jdbc.internal;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.store.QueueStats;
import dev.sluice.store.StoreStats;
import dev.sluice.store.StoredJob;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads: jobs by id, pages by id, counts. A SCHEDULED row whose run-at has passed is reported READY (it is
 * claimable; the store never needs to rewrite it). Results and progress come from their side tables.
 */
final class QueryStatements {

    private static final JobState[] STATES = JobState.values();
    private static final int ID_CHUNK = 500;

    private final StoreContext context;
    private final String selectJobs;

    QueryStatements(StoreContext context) {
        this.context = context;
        // a WHILE_WAITING job's key is NULL on its row from its first claim on; job_unique keeps it for reads
        this.selectJobs = "SELECT j.id, j.type, j.queue, j.priority, j.state, j.payload, j.tenant, "
                + "COALESCE(j.unique_key, o.unique_key), "
                + "j.attempts, j.max_attempts, j.timeout_millis, j.created_at, j.due_at, j.started_at, j.finished_at, "
                + "j.last_error, r.result, p.progress, p.checkpoint, j.lease_owner, j.lease_expires_at, "
                + "j.fencing_token, j.cancel_requested FROM " + context.tables.job() + " j "
                + "LEFT JOIN " + context.tables.result() + " r ON r.id = j.id "
                + "LEFT JOIN " + context.tables.progress() + " p ON p.id = j.id "
                + "LEFT JOIN " + context.tables.uniqueOption() + " o ON o.id = j.id";
    }

    Optional<StoredJob> find(JobId id) {
        List<StoredJob> found = findAll(List.of(id));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    List<StoredJob> findAll(Collection<JobId> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<JobId> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
        return context.inTransaction("find of " + distinct.size() + " jobs", c -> {
            long now = context.now(c);
            List<StoredJob> found = new ArrayList<>();
            for (List<JobId> chunk : Dialect.chunks(distinct, ID_CHUNK)) {
                try (PreparedStatement statement = c.prepareStatement(selectJobs + " WHERE j.id IN ("
                        + EnqueueStatements.placeholders(chunk.size()) + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        context.dialect.setId(statement, i + 1, chunk.get(i));
                    }
                    readJobs(statement, now, found);
                }
            }
            return found;
        });
    }

    List<StoredJob> list(JobQuery query) {
        return context.inTransaction("list of jobs", c -> {
            long now = context.now(c);
            StringBuilder sql = new StringBuilder(selectJobs).append(" WHERE 1 = 1");
            List<Object> params = new ArrayList<>();
            if (query.state() == JobState.READY) {
                sql.append(" AND (j.state = 2 OR (j.state = 1 AND j.due_at <= ?))");
                params.add(now);
            } else if (query.state() == JobState.SCHEDULED) {
                sql.append(" AND j.state = 1 AND j.due_at > ?");
                params.add(now);
            } else if (query.state() != null) {
                sql.append(" AND j.state = ?");
                params.add(query.state().ordinal());
            }
            if (query.queue() != null) {
                sql.append(" AND j.queue = ?");
                params.add(query.queue());
            }
            if (query.type() != null) {
                sql.append(" AND j.type = ?");
                params.add(query.type());
            }
            if (query.afterId() != null) {
                sql.append(" AND j.id > ?");
                params.add(query.afterId());
            }
            sql.append(" ORDER BY j.id LIMIT ?");
            params.add(query.limit());
            List<StoredJob> page = new ArrayList<>();
            try (PreparedStatement statement = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    Object param = params.get(i);
                    if (param instanceof JobId) {
                        context.dialect.setId(statement, i + 1, (JobId) param);
                    } else {
                        statement.setObject(i + 1, param);
                    }
                }
                readJobs(statement, now, page);
            }
            return List.copyOf(page);
        });
    }

    StoreStats stats() {
        return context.inTransaction("stats", c -> {
            long now = context.now(c);
            Map<String, Map<JobState, Long>> counts = new HashMap<>();
            Map<String, Long> oldestReady = new HashMap<>();
            String sql = "SELECT queue, st, COUNT(*), MIN(ready_at) FROM (SELECT queue, "
                    + "CASE WHEN state = 1 AND due_at <= ? THEN 2 ELSE state END AS st, "
                    + "CASE WHEN state = 2 OR (state = 1 AND due_at <= ?) THEN due_at END AS ready_at FROM "
                    + context.tables.job() + ") x GROUP BY queue, st";
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                statement.setLong(1, now);
                statement.setLong(2, now);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        String queue = rows.getString(1);
                        counts.computeIfAbsent(queue, q -> new EnumMap<>(JobState.class))
                                .put(STATES[rows.getInt(2)], rows.getLong(3));
                        long readyAt = rows.getLong(4);
                        if (!rows.wasNull()) {
                            oldestReady.merge(queue, readyAt, Math::min);
                        }
                    }
                }
            }
            List<String> paused = new ArrayList<>();
            try (PreparedStatement statement = c.prepareStatement("SELECT queue FROM " + context.tables.pause());
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    paused.add(rows.getString(1));
                    counts.computeIfAbsent(rows.getString(1), q -> new EnumMap<>(JobState.class));
                }
            }
            Map<String, QueueStats> queues = new HashMap<>();
            counts.forEach((queue, byState) -> {
                Long oldest = oldestReady.get(queue);
                queues.put(queue, new QueueStats(queue, byState, oldest == null ? null : Instant.ofEpochMilli(oldest),
                        paused.contains(queue)));
            });
            return new StoreStats(queues, Instant.ofEpochMilli(now));
        });
    }

    private void readJobs(PreparedStatement statement, long now, List<StoredJob> into) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                into.add(readJob(rows, now));
            }
        }
    }

    private StoredJob readJob(ResultSet rows, long now) throws SQLException {
        JobState state = STATES[rows.getInt(5)];
        long dueAt = rows.getLong(13);
        if (state == JobState.SCHEDULED && dueAt <= now) {
            state = JobState.READY;
        }
        boolean running = state == JobState.RUNNING;
        double progress = rows.getDouble(18);
        if (state == JobState.SUCCEEDED) {
            progress = 1.0;
        }
        return new StoredJob(context.dialect.getId(rows, 1), rows.getString(2), rows.getString(3),
                Priority.ofWeight(rows.getInt(4)), state, rows.getBytes(6), rows.getString(7), rows.getString(8),
                rows.getInt(9), rows.getInt(10), rows.getLong(11), Instant.ofEpochMilli(rows.getLong(12)),
                state == JobState.SCHEDULED ? Instant.ofEpochMilli(dueAt) : null, instant(rows, 14),
                instant(rows, 15), rows.getString(16), rows.getBytes(17), progress, rows.getBytes(19),
                running ? rows.getString(20) : null, running ? instant(rows, 21) : null, rows.getLong(22),
                rows.getBoolean(23));
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        long millis = rows.getLong(column);
        return rows.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
