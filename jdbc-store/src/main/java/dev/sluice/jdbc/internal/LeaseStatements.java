package dev.sluice.jdbc.internal;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.store.Completion;
import dev.sluice.store.LeaseRef;
import dev.sluice.store.LeaseStatus;
import dev.sluice.store.ProgressUpdate;
import dev.sluice.store.RecoveredJob;
import dev.sluice.store.WriteResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fenced writes (completions, lease renewals, progress) and lease recovery. Each call is one transaction:
 * the RUNNING rows named by the call are locked with one SELECT ... FOR UPDATE per 500 ids, their tokens
 * compared in Java, and the accepted ones changed by one JDBC batch (PostgreSQL: one UPDATE ... FROM unnest per
 * outcome, see {@link PostgresCompletions}).
 */
final class LeaseStatements {

    private static final int ID_CHUNK = 500;
    private static final int RUNNING = JobState.RUNNING.ordinal();

    private final StoreContext context;
    private final PostgresCompletions postgres;
    private final DependencyRelease release;
    private final UniqueKeyStatements uniqueKeys;
    private final String completeSql;
    private final String insertResultSql;
    private final String recoverSelectSql;
    private final String recoverUpdateSql;

    LeaseStatements(StoreContext context, DependencyRelease release, UniqueKeyStatements uniqueKeys) {
        this.context = context;
        this.release = release;
        this.uniqueKeys = uniqueKeys;
        this.postgres = context.dialect.isPostgres() ? new PostgresCompletions(context, release) : null;
        String job = context.tables.job();
        this.completeSql = "UPDATE " + job + " SET state = ?, due_at = ?, sort_key = ?, attempts = attempts - ?, "
                + "last_error = COALESCE(?, last_error), finished_at = ?, lease_owner = NULL, lease_expires_at = NULL "
                + "WHERE id = ?";
        this.insertResultSql = "INSERT INTO " + context.tables.result() + " (id, result) VALUES (?, ?)";
        this.recoverSelectSql = "SELECT id, type, queue, attempts, max_attempts, lease_owner, cancel_requested, "
                + "priority FROM " + job + " WHERE state = 3 AND lease_expires_at < ? "
                + "ORDER BY lease_expires_at LIMIT ? FOR UPDATE SKIP LOCKED";
        this.recoverUpdateSql = "UPDATE " + job + " SET state = ?, due_at = ?, sort_key = ?, last_error = ?, "
                + "finished_at = ?, lease_owner = NULL, lease_expires_at = NULL WHERE id = ?";
    }

    /** A locked RUNNING row. */
    private record Running(long token, boolean cancelRequested, int priority, long dueAt, long sortKey,
                           String uniqueKey) {
    }

    private Map<JobId, Running> lockRunning(Connection connection, Collection<JobId> ids) throws SQLException {
        Map<JobId, Running> running = new HashMap<>();
        // Locked in id order (JobId's order is the databases' order of the stored ids), chunk after chunk, so
        // that two writers naming the same rows never wait for each other in a cycle (a deadlock).
        List<JobId> distinct = new ArrayList<>(new TreeSet<>(ids));
        for (List<JobId> chunk : Dialect.chunks(distinct, ID_CHUNK)) {
            String sql = "SELECT id, fencing_token, cancel_requested, priority, due_at, sort_key, unique_key FROM "
                    + context.tables.job() + " WHERE id IN (" + EnqueueStatements.placeholders(chunk.size())
                    + ") AND state = " + RUNNING + " ORDER BY id FOR UPDATE";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    context.dialect.setId(statement, i + 1, chunk.get(i));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        running.put(context.dialect.getId(rows, 1), new Running(rows.getLong(2), rows.getBoolean(3),
                                rows.getInt(4), rows.getLong(5), rows.getLong(6), rows.getString(7)));
                    }
                }
            }
        }
        return running;
    }

    // ---------------------------------------------------------------- completions

    List<WriteResult> completeAll(List<Completion> completions) {
        if (completions.isEmpty()) {
            return List.of();
        }
        return signalled(context.inTransaction("completion of " + completions.size() + " jobs",
                c -> completeOnConnection(c, completions)));
    }

    /** Completes on the caller's connection, inside the caller's transaction: never commits, rolls back or closes. */
    List<WriteResult> completeOn(Connection callerConnection, List<Completion> completions) throws SQLException {
        if (completions.isEmpty()) {
            return List.of();
        }
        StoreContext.requireCallerTransaction(callerConnection, "completion");
        return signalled(completeOnConnection(callerConnection, completions));
    }

    private Outcome completeOnConnection(Connection connection, List<Completion> completions) throws SQLException {
        return postgres != null ? postgres.completeAll(connection, completions) : completeIn(connection, completions);
    }

    /** The results of a completion call, after waking this node's dispatchers when it made work. */
    private List<WriteResult> signalled(Outcome outcome) {
        if (outcome.madeWork) {
            context.signalLocalWork();
        }
        return outcome.results;
    }

    /** Results of a completion call, and whether a job waits again (so dispatchers may want to look). */
    record Outcome(List<WriteResult> results, boolean madeWork) {
    }

    private Outcome completeIn(Connection connection, List<Completion> completions) throws SQLException {
        List<JobId> ids = new ArrayList<>(completions.size());
        for (Completion completion : completions) {
            ids.add(completion.id());
        }
        Map<JobId, Running> running = lockRunning(connection, ids);
        long now = context.now(connection);
        WriteResult[] results = new WriteResult[completions.size()];
        Set<JobId> applied = new HashSet<>();
        boolean madeWork = false;
        boolean anyResult = false;
        Map<JobId, JobState> ended = new HashMap<>();
        Map<JobId, String> succeededWithKey = new HashMap<>();
        try (PreparedStatement update = connection.prepareStatement(completeSql)) {
            for (int i = 0; i < results.length; i++) {
                Completion completion = completions.get(i);
                Running row = running.get(completion.id());
                if (row == null || row.token() != completion.fencingToken() || !applied.add(completion.id())) {
                    results[i] = WriteResult.STALE;
                    continue;
                }
                results[i] = WriteResult.ACCEPTED;
                int state;
                long dueAt = row.dueAt();
                long sortKey = row.sortKey();
                int attemptsBack = 0;
                String error = completion.error();
                boolean finished = true;
                switch (completion.outcome()) {
                    case SUCCEEDED:
                        state = JobState.SUCCEEDED.ordinal();
                        error = null;
                        anyResult |= completion.result() != null;
                        if (row.uniqueKey() != null) {
                            succeededWithKey.put(completion.id(), row.uniqueKey());
                        }
                        break;
                    case DEAD:
                        state = JobState.DEAD.ordinal();
                        break;
                    case CANCELLED:
                        state = JobState.CANCELLED.ordinal();
                        break;
                    case RETRY:
                    case RELEASED:
                        boolean released = completion.outcome() == Completion.Outcome.RELEASED;
                        attemptsBack = released ? 1 : 0;
                        if (row.cancelRequested()) {
                            state = JobState.CANCELLED.ordinal();
                        } else if (completion.runAtMillis() > now) {
                            state = JobState.SCHEDULED.ordinal();
                            dueAt = completion.runAtMillis();
                            sortKey = context.sortKey(dueAt, row.priority());
                            finished = false;
                        } else {
                            state = JobState.READY.ordinal();
                            if (!released) { // a released job keeps its place
                                dueAt = now;
                                sortKey = context.sortKey(dueAt, row.priority());
                            }
                            finished = false;
                        }
                        madeWork |= !finished;
                        break;
                    default:
                        throw new IllegalStateException("unknown outcome " + completion.outcome());
                }
                update.setInt(1, state);
                update.setLong(2, dueAt);
                update.setLong(3, sortKey);
                update.setInt(4, attemptsBack);
                update.setString(5, context.dialect.storableText(error));
                if (finished) {
                    update.setLong(6, now);
                    ended.put(completion.id(), JobState.values()[state]);
                } else {
                    update.setNull(6, Types.BIGINT);
                }
                context.dialect.setId(update, 7, completion.id());
                update.addBatch();
            }
            if (!applied.isEmpty()) {
                update.executeBatch();
            }
        }
        if (anyResult) {
            try (PreparedStatement insert = connection.prepareStatement(insertResultSql)) {
                for (int i = 0; i < results.length; i++) {
                    Completion completion = completions.get(i);
                    if (results[i] == WriteResult.ACCEPTED && completion.outcome() == Completion.Outcome.SUCCEEDED
                            && completion.result() != null) {
                        context.dialect.setId(insert, 1, completion.id());
                        insert.setBytes(2, completion.result());
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
        }
        uniqueKeys.holdOnAfterSuccess(connection, succeededWithKey, now);
        madeWork |= release.parentsEnded(connection, now, ended);
        if (madeWork) {
            context.notifyOtherNodes(connection);
        }
        return new Outcome(Collections.unmodifiableList(Arrays.asList(results)), madeWork);
    }

    // ---------------------------------------------------------------- leases

    List<LeaseStatus> renewLeases(List<LeaseRef> leases, long leaseMillis) {
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("leaseMillis must be > 0 but was " + leaseMillis);
        }
        if (leases.isEmpty()) {
            return List.of();
        }
        if (postgres != null) {
            return context.inTransaction("lease renewal of " + leases.size() + " jobs",
                    c -> postgres.renewLeases(c, leases, leaseMillis));
        }
        return context.inTransaction("lease renewal of " + leases.size() + " jobs", c -> {
            List<JobId> ids = new ArrayList<>(leases.size());
            for (LeaseRef lease : leases) {
                ids.add(lease.id());
            }
            Map<JobId, Running> running = lockRunning(c, ids);
            LeaseStatus[] statuses = new LeaseStatus[leases.size()];
            List<JobId> renewed = new ArrayList<>();
            for (int i = 0; i < statuses.length; i++) {
                Running row = running.get(leases.get(i).id());
                if (row == null || row.token() != leases.get(i).fencingToken()) {
                    statuses[i] = LeaseStatus.LOST;
                } else {
                    statuses[i] = row.cancelRequested() ? LeaseStatus.CANCEL_REQUESTED : LeaseStatus.RENEWED;
                    renewed.add(leases.get(i).id());
                }
            }
            long expiresAt = context.now(c) + leaseMillis;
            for (List<JobId> chunk : Dialect.chunks(new ArrayList<>(new LinkedHashSet<>(renewed)), ID_CHUNK)) {
                if (chunk.isEmpty()) {
                    continue;
                }
                try (PreparedStatement update = c.prepareStatement("UPDATE " + context.tables.job()
                        + " SET lease_expires_at = ? WHERE id IN (" + EnqueueStatements.placeholders(chunk.size())
                        + ")")) {
                    update.setLong(1, expiresAt);
                    for (int i = 0; i < chunk.size(); i++) {
                        context.dialect.setId(update, i + 2, chunk.get(i));
                    }
                    update.executeUpdate();
                }
            }
            return Collections.unmodifiableList(Arrays.asList(statuses));
        });
    }

    List<RecoveredJob> recoverExpired(int max) {
        if (max <= 0) {
            return List.of();
        }
        Recovery recovered = context.inTransaction("recovery of expired leases", c -> {
            long now = context.now(c);
            List<RecoveredJob> taken = new ArrayList<>();
            Map<JobId, JobState> ended = new HashMap<>();
            try (PreparedStatement select = c.prepareStatement(recoverSelectSql);
                 PreparedStatement update = c.prepareStatement(recoverUpdateSql)) {
                select.setLong(1, now);
                select.setInt(2, max);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        JobId id = context.dialect.getId(rows, 1);
                        int attempts = rows.getInt(4);
                        String owner = rows.getString(6);
                        JobState newState = rows.getBoolean(7) ? JobState.CANCELLED
                                : attempts >= rows.getInt(5) ? JobState.DEAD : JobState.READY;
                        boolean ready = newState == JobState.READY;
                        update.setInt(1, newState.ordinal());
                        update.setLong(2, now);
                        update.setLong(3, context.sortKey(now, rows.getInt(8)));
                        update.setString(4, "lease expired on node " + owner + " during attempt " + attempts);
                        if (ready) {
                            update.setNull(5, Types.BIGINT);
                        } else {
                            update.setLong(5, now);
                            ended.put(id, newState);
                        }
                        context.dialect.setId(update, 6, id);
                        update.addBatch();
                        taken.add(new RecoveredJob(id, rows.getString(2), rows.getString(3), attempts, newState,
                                owner));
                    }
                }
                if (!taken.isEmpty()) {
                    update.executeBatch();
                }
            }
            boolean released = release.parentsEnded(c, now, ended);
            boolean madeWork = released || taken.stream().anyMatch(r -> r.newState() == JobState.READY);
            if (madeWork) {
                context.notifyOtherNodes(c);
            }
            return new Recovery(taken, madeWork);
        });
        if (recovered.madeWork()) {
            context.signalLocalWork();
        }
        return recovered.jobs();
    }

    private record Recovery(List<RecoveredJob> jobs, boolean madeWork) {
    }

    // ---------------------------------------------------------------- progress

    List<WriteResult> saveProgress(List<ProgressUpdate> updates) {
        if (updates.isEmpty()) {
            return List.of();
        }
        return context.inTransaction("progress of " + updates.size() + " jobs", c -> {
            List<JobId> ids = new ArrayList<>(updates.size());
            for (ProgressUpdate update : updates) {
                ids.add(update.id());
            }
            Map<JobId, Running> running = lockRunning(c, ids);
            WriteResult[] results = new WriteResult[updates.size()];
            Map<JobId, ProgressUpdate> latest = new HashMap<>();
            for (int i = 0; i < results.length; i++) {
                ProgressUpdate update = updates.get(i);
                Running row = running.get(update.id());
                if (row == null || row.token() != update.fencingToken()) {
                    results[i] = WriteResult.STALE;
                } else {
                    results[i] = WriteResult.ACCEPTED;
                    ProgressUpdate before = latest.get(update.id());
                    if (before != null && update.checkpoint() == null && before.checkpoint() != null) {
                        update = new ProgressUpdate(update.id(), update.fencingToken(), update.progress(),
                                before.checkpoint());
                    }
                    latest.put(update.id(), update);
                }
            }
            if (!latest.isEmpty()) {
                writeProgress(c, latest);
            }
            return Collections.unmodifiableList(Arrays.asList(results));
        });
    }

    private void writeProgress(Connection connection, Map<JobId, ProgressUpdate> latest) throws SQLException {
        Set<JobId> existing = new HashSet<>();
        for (List<JobId> chunk : Dialect.chunks(new ArrayList<>(latest.keySet()), ID_CHUNK)) {
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM " + context.tables.progress()
                    + " WHERE id IN (" + EnqueueStatements.placeholders(chunk.size()) + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    context.dialect.setId(select, i + 1, chunk.get(i));
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        existing.add(context.dialect.getId(rows, 1));
                    }
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + context.tables.progress()
                + " SET progress = ?, checkpoint = COALESCE(?, checkpoint) WHERE id = ?");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO " + context.tables.progress()
                     + " (id, progress, checkpoint) VALUES (?, ?, ?)")) {
            boolean updates = false;
            boolean inserts = false;
            for (ProgressUpdate progress : latest.values()) {
                PreparedStatement statement = existing.contains(progress.id()) ? update : insert;
                if (statement == update) {
                    update.setDouble(1, progress.progress());
                    update.setBytes(2, progress.checkpoint());
                    context.dialect.setId(update, 3, progress.id());
                    updates = true;
                } else {
                    context.dialect.setId(insert, 1, progress.id());
                    insert.setDouble(2, progress.progress());
                    insert.setBytes(3, progress.checkpoint());
                    inserts = true;
                }
                statement.addBatch();
            }
            if (updates) {
                update.executeBatch();
            }
            if (inserts) {
                insert.executeBatch();
            }
        }
    }
}
