package dev.sluice.jdbc.internal;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.store.EnqueueResult;
import dev.sluice.store.NewJob;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Stores jobs: one transaction, unique keys checked in it. On PostgreSQL one INSERT ... SELECT FROM unnest(arrays)
 * ... ON CONFLICT DO NOTHING for the whole list (keys taken meanwhile by others are found afterwards); elsewhere the
 * live holders of the keys are read first and the rest is inserted as one JDBC batch.
 */
final class EnqueueStatements {

    private static final int KEY_CHUNK = 500;
    private static final int SCHEDULED = JobState.SCHEDULED.ordinal();
    private static final int READY = JobState.READY.ordinal();

    private final StoreContext context;
    private final String insertSql;
    private final String unnestInsertSql;

    EnqueueStatements(StoreContext context) {
        this.context = context;
        String job = context.tables.job();
        this.insertSql = "INSERT INTO " + job + " (id, queue, state, sort_key, due_at, priority, type, tenant, "
                + "unique_key, max_attempts, timeout_millis, created_at, payload) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        this.unnestInsertSql = "INSERT INTO " + job + " (id, queue, state, sort_key, due_at, priority, type, tenant, "
                + "unique_key, max_attempts, timeout_millis, created_at, payload) "
                + "SELECT u.id, u.queue, CASE WHEN u.run_at > n.t THEN " + SCHEDULED + " ELSE " + READY + " END, "
                + "GREATEST(u.run_at, n.t) - u.priority * " + context.agingStepMillis + ", GREATEST(u.run_at, n.t), "
                + "u.priority, u.type, u.tenant, u.unique_key, u.max_attempts, u.timeout_millis, u.created_at, u.payload "
                + "FROM unnest(?::uuid[], ?::text[], ?::bigint[], ?::smallint[], ?::text[], ?::text[], ?::text[], "
                + "?::int[], ?::bigint[], ?::bigint[], ?::bytea[]) "
                + "AS u(id, queue, run_at, priority, type, tenant, unique_key, max_attempts, timeout_millis, "
                + "created_at, payload) "
                + "CROSS JOIN (SELECT " + context.nowExpression() + " AS t) n "
                + "ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state < 4 DO NOTHING RETURNING id";
    }

    /** The plan of one enqueue: which jobs to insert and which resolve to an earlier job of the same list. */
    private static final class Plan {
        final List<NewJob> jobs;
        /** For each job, the index of the earlier job of the list that holds its key, or -1. */
        final int[] sameKeyAs;
        final List<NewJob> candidates = new ArrayList<>();

        Plan(List<NewJob> jobs) {
            this.jobs = jobs;
            this.sameKeyAs = new int[jobs.size()];
            Set<JobId> ids = new HashSet<>();
            Map<String, Integer> firstWithKey = new HashMap<>();
            for (int i = 0; i < jobs.size(); i++) {
                NewJob job = Objects.requireNonNull(jobs.get(i), "null job in the enqueue list");
                if (!ids.add(job.id())) {
                    throw new IllegalArgumentException("job id " + job.id() + " (type '" + job.type()
                            + "') appears twice in one enqueue; nothing was stored");
                }
                sameKeyAs[i] = -1;
                if (job.uniqueKey() != null) {
                    Integer first = firstWithKey.putIfAbsent(job.uniqueKey(), i);
                    if (first != null) {
                        sameKeyAs[i] = first;
                        continue;
                    }
                }
                candidates.add(job);
            }
        }
    }

    /** Enqueues in a transaction of the store's own. */
    List<EnqueueResult> enqueue(List<NewJob> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        Plan plan = new Plan(jobs);
        Result result = context.inTransaction("enqueue of " + jobs.size() + " jobs", c -> enqueueIn(c, plan, true));
        if (result.storedAny) {
            context.signalLocalWork();
        }
        return result.results;
    }

    /** Enqueues on the caller's connection, inside the caller's transaction: never commits, rolls back or closes. */
    List<EnqueueResult> enqueueOn(Connection callerConnection, List<NewJob> jobs) throws SQLException {
        if (jobs.isEmpty()) {
            return List.of();
        }
        if (callerConnection.getAutoCommit()) {
            throw new IllegalArgumentException("the connection given to a transactional enqueue must be in a "
                    + "transaction (autoCommit false), otherwise the jobs would not follow its commit or rollback");
        }
        Result result = enqueueIn(callerConnection, new Plan(jobs), false);
        if (result.storedAny) {
            context.signalLocalWork(); // a hint only: dispatchers that look before the commit find nothing yet
        }
        return result.results;
    }

    private record Result(List<EnqueueResult> results, boolean storedAny) {
    }

    private Result enqueueIn(Connection connection, Plan plan, boolean ownTransaction) throws SQLException {
        Map<JobId, JobId> heldBy = context.dialect.isPostgres()
                ? insertWithArrays(connection, plan.candidates)
                : insertAfterKeyCheck(connection, plan.candidates, ownTransaction);
        List<NewJob> jobs = plan.jobs;
        EnqueueResult[] results = new EnqueueResult[jobs.size()];
        boolean storedAny = false;
        for (int i = 0; i < results.length; i++) {
            int first = plan.sameKeyAs[i];
            NewJob owner = first < 0 ? jobs.get(i) : jobs.get(first);
            JobId holder = heldBy.get(owner.id());
            if (first < 0 && holder == null) {
                results[i] = new EnqueueResult(owner.id(), false);
                storedAny = true;
            } else {
                results[i] = new EnqueueResult(holder != null ? holder : owner.id(), true);
            }
        }
        if (storedAny) {
            context.notifyOtherNodes(connection);
        }
        return new Result(Collections.unmodifiableList(Arrays.asList(results)), storedAny);
    }

    /** PostgreSQL: one INSERT for the whole list; returns, for jobs not stored, the live holder of their key. */
    private Map<JobId, JobId> insertWithArrays(Connection connection, List<NewJob> jobs) throws SQLException {
        int n = jobs.size();
        UUID[] ids = new UUID[n];
        String[] queues = new String[n];
        Long[] runAts = new Long[n];
        Short[] priorities = new Short[n];
        String[] types = new String[n];
        String[] tenants = new String[n];
        String[] keys = new String[n];
        Integer[] maxAttempts = new Integer[n];
        Long[] timeouts = new Long[n];
        Long[] createdAts = new Long[n];
        byte[][] payloads = new byte[n][];
        for (int i = 0; i < n; i++) {
            NewJob job = jobs.get(i);
            ids[i] = job.id().toUuid();
            queues[i] = job.queue();
            runAts[i] = job.runAtMillis();
            priorities[i] = (short) job.priority().weight();
            types[i] = job.type();
            tenants[i] = job.tenant();
            keys[i] = job.uniqueKey();
            maxAttempts[i] = job.maxAttempts();
            timeouts[i] = job.timeoutMillis();
            createdAts[i] = job.createdAtMillis();
            payloads[i] = job.payload();
        }
        Set<UUID> inserted = new HashSet<>(n * 2);
        try (PreparedStatement statement = connection.prepareStatement(unnestInsertSql)) {
            Array[] arrays = {
                connection.createArrayOf("uuid", ids), connection.createArrayOf("text", queues),
                connection.createArrayOf("int8", runAts), connection.createArrayOf("int2", priorities),
                connection.createArrayOf("text", types), connection.createArrayOf("text", tenants),
                connection.createArrayOf("text", keys), connection.createArrayOf("int4", maxAttempts),
                connection.createArrayOf("int8", timeouts), connection.createArrayOf("int8", createdAts),
                connection.createArrayOf("bytea", payloads)};
            for (int i = 0; i < arrays.length; i++) {
                statement.setArray(i + 1, arrays[i]);
            }
            context.bindNow(statement, arrays.length + 1);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    inserted.add(rows.getObject(1, UUID.class));
                }
            }
        }
        if (inserted.size() == n) {
            return Map.of();
        }
        List<NewJob> refused = new ArrayList<>();
        for (NewJob job : jobs) {
            if (!inserted.contains(job.id().toUuid())) {
                refused.add(job);
            }
        }
        Map<String, JobId> holders = liveHolders(connection, refused);
        Map<JobId, JobId> heldBy = new HashMap<>();
        for (NewJob job : refused) {
            JobId holder = holders.get(job.uniqueKey());
            if (holder == null) {
                // The holder finished between our insert and our look-up: the key is free, try again.
                throw new StoreContext.RetryTransaction("unique key '" + job.uniqueKey() + "' changed hands");
            }
            heldBy.put(job.id(), holder);
        }
        return heldBy;
    }

    /** Other databases: read the live holders of the keys, then insert the rest as one batch. */
    private Map<JobId, JobId> insertAfterKeyCheck(Connection connection, List<NewJob> jobs, boolean ownTransaction)
            throws SQLException {
        Map<String, JobId> holders = liveHolders(connection, jobs);
        Map<JobId, JobId> heldBy = new HashMap<>();
        long now = context.now(connection);
        try (PreparedStatement statement = connection.prepareStatement(insertSql)) {
            int batched = 0;
            for (NewJob job : jobs) {
                JobId holder = job.uniqueKey() == null ? null : holders.get(job.uniqueKey());
                if (holder != null) {
                    heldBy.put(job.id(), holder);
                    continue;
                }
                boolean scheduled = job.runAtMillis() > now;
                long dueAt = scheduled ? job.runAtMillis() : now;
                context.dialect.setId(statement, 1, job.id());
                statement.setString(2, job.queue());
                statement.setInt(3, scheduled ? SCHEDULED : READY);
                statement.setLong(4, context.sortKey(dueAt, job.priority().weight()));
                statement.setLong(5, dueAt);
                statement.setInt(6, job.priority().weight());
                statement.setString(7, job.type());
                statement.setString(8, job.tenant());
                statement.setString(9, job.uniqueKey());
                statement.setInt(10, job.maxAttempts());
                statement.setLong(11, job.timeoutMillis());
                statement.setLong(12, job.createdAtMillis());
                statement.setBytes(13, job.payload());
                statement.addBatch();
                batched++;
            }
            if (batched > 0) {
                statement.executeBatch();
            }
        } catch (SQLException e) {
            if (context.dialect.isUniqueViolation(e) && String.valueOf(e.getMessage()).contains("live_key")) {
                if (ownTransaction) {
                    throw new StoreContext.RetryTransaction("a unique key was taken by a concurrent enqueue");
                }
            }
            throw e;
        }
        return heldBy;
    }

    /** Live holders of the keys of the jobs: key to the id of the job that holds it. */
    private Map<String, JobId> liveHolders(Connection connection, List<NewJob> jobs) throws SQLException {
        List<String> keys = new ArrayList<>();
        for (NewJob job : jobs) {
            if (job.uniqueKey() != null) {
                keys.add(job.uniqueKey());
            }
        }
        if (keys.isEmpty()) {
            return Map.of();
        }
        Map<String, JobId> holders = new LinkedHashMap<>();
        String column = context.dialect.liveKeyColumn();
        for (List<String> chunk : Dialect.chunks(keys, KEY_CHUNK)) {
            String sql = "SELECT " + column + ", id FROM " + context.tables.job() + " WHERE " + column + " IN ("
                    + placeholders(chunk.size()) + ")" + context.dialect.liveKeyCondition();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    statement.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        holders.put(rows.getString(1), context.dialect.getId(rows, 2));
                    }
                }
            }
        }
        return holders;
    }

    static String placeholders(int count) {
        StringBuilder text = new StringBuilder(count * 3);
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "?" : ", ?");
        }
        return text.toString();
    }
}
