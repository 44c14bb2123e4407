package dev.sluice.jdbc.internal;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.SluiceException;
import dev.sluice.store.EnqueueResult;
import dev.sluice.store.NewJob;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
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
    private static final int CANCELLED = JobState.CANCELLED.ordinal();

    private final StoreContext context;
    private final String insertSql;
    private final String unnestInsertSql;
    private final String unnestGraphInsertSql;
    private final GraphStatements graph;
    private final UniqueKeyStatements uniqueKeys;

    EnqueueStatements(StoreContext context, GraphStatements graph, UniqueKeyStatements uniqueKeys) {
        this.context = context;
        this.graph = graph;
        this.uniqueKeys = uniqueKeys;
        String job = context.tables.job();
        this.insertSql = "INSERT INTO " + job + " (id, queue, state, sort_key, due_at, priority, type, tenant, "
                + "unique_key, max_attempts, timeout_millis, created_at, payload, finished_at, last_error) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        this.unnestInsertSql = unnestInsert(context, false);
        this.unnestGraphInsertSql = unnestInsert(context, true);
    }

    /**
     * PostgreSQL's one INSERT for a whole list. Lists with parents add two arrays (the state a job starts in when
     * its parents decide it, and why it starts CANCELLED), so that the usual list keeps the narrower statement.
     */
    private static String unnestInsert(StoreContext context, boolean graph) {
        String byRunAt = "CASE WHEN u.run_at > n.t THEN " + SCHEDULED + " ELSE " + READY + " END";
        return "INSERT INTO " + context.tables.job() + " (id, queue, state, sort_key, due_at, priority, type, tenant, "
                + "unique_key, max_attempts, timeout_millis, created_at, payload"
                + (graph ? ", finished_at, last_error" : "") + ") "
                + "SELECT u.id, u.queue, " + (graph ? "COALESCE(u.fixed_state, " + byRunAt + ")" : byRunAt) + ", "
                + "GREATEST(u.run_at, n.t) - u.priority * " + context.agingStepMillis + ", GREATEST(u.run_at, n.t), "
                + "u.priority, u.type, u.tenant, u.unique_key, u.max_attempts, u.timeout_millis, u.created_at, u.payload"
                + (graph ? ", CASE WHEN u.fixed_state = " + CANCELLED + " THEN n.t END, u.error" : "") + " "
                + "FROM unnest(?::uuid[], ?::text[], ?::bigint[], ?::smallint[], ?::text[], ?::text[], ?::text[], "
                + "?::int[], ?::bigint[], ?::bigint[], ?::bytea[]" + (graph ? ", ?::smallint[], ?::text[]" : "") + ") "
                + "AS u(id, queue, run_at, priority, type, tenant, unique_key, max_attempts, timeout_millis, "
                + "created_at, payload" + (graph ? ", fixed_state, error" : "") + ") "
                + "CROSS JOIN (SELECT " + context.nowExpression() + " AS t) n "
                + "ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND state < 4 DO NOTHING RETURNING id";
    }

    /** The plan of one enqueue: which jobs to insert and which resolve to an earlier job of the same list. */
    private static final class Plan {
        final List<NewJob> jobs;
        /** For each job, the index of the earlier job of the list that holds its key, or -1. */
        final int[] sameKeyAs;
        final List<NewJob> candidates = new ArrayList<>();
        /** The dependency edges of the list, or null when no job of it has parents. */
        final GraphStatements.Plan graph;
        /** Whether a job of the list has a unique key, and whether one asked for a scope or a hold. */
        boolean anyKey;
        boolean anyOptions;

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
                    anyKey = true;
                    anyOptions |= UniqueKeyStatements.hasOptions(job);
                    Integer first = firstWithKey.putIfAbsent(job.uniqueKey(), i);
                    if (first != null) {
                        sameKeyAs[i] = first;
                        continue;
                    }
                }
                candidates.add(job);
            }
            Set<JobId> sameKeyDuplicates = new HashSet<>();
            for (int i = 0; i < jobs.size(); i++) {
                if (sameKeyAs[i] >= 0) {
                    sameKeyDuplicates.add(jobs.get(i).id());
                }
            }
            this.graph = GraphStatements.Plan.of(jobs, sameKeyDuplicates);
        }
    }

    /** Enqueues in a transaction of the store's own. */
    List<EnqueueResult> enqueue(List<NewJob> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        Plan plan = new Plan(jobs);
        Result result;
        try {
            result = context.inTransaction("enqueue of " + jobs.size() + " jobs", c -> enqueueIn(c, plan, true));
        } catch (SluiceException e) {
            if (e.getCause() instanceof SQLException && context.dialect.isUniqueViolation((SQLException) e.getCause())) {
                throwIfStored(jobs, e);
            }
            throw e;
        }
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
        StoreContext.requireCallerTransaction(callerConnection, "enqueue");
        Result result;
        try {
            result = enqueueIn(callerConnection, new Plan(jobs), false);
        } catch (SQLException e) {
            if (context.dialect.isUniqueViolation(e)) {
                throwIfStored(jobs, e);
            }
            throw e;
        }
        if (result.storedAny) {
            context.signalLocalWork(); // a hint only: dispatchers that look before the commit find nothing yet
        }
        return result.results;
    }

    /**
     * Enqueues one fire's job inside a transaction the caller runs (see {@link ScheduleStatements}).
     *
     * @return the job's result, and whether it was stored (so that the caller wakes dispatchers after the commit)
     */
    Result enqueueWithin(Connection connection, NewJob job) throws SQLException {
        return enqueueIn(connection, new Plan(List.of(job)), true);
    }

    /**
     * A unique-key violation that no live key explains: the ids that are stored already make it an
     * {@link IllegalArgumentException} naming them (looked up on a connection of the pool, outside the failed
     * transaction); otherwise nothing is thrown and the caller rethrows the original failure.
     */
    private void throwIfStored(List<NewJob> jobs, Exception failure) {
        List<JobId> ids = new ArrayList<>(jobs.size());
        for (NewJob job : jobs) {
            ids.add(job.id());
        }
        List<JobId> stored = storedIds(ids);
        if (!stored.isEmpty()) {
            IllegalArgumentException refused = new IllegalArgumentException("job id" + (stored.size() == 1 ? " " : "s ")
                    + stored + " already stored; nothing was stored");
            refused.addSuppressed(failure);
            throw refused;
        }
    }

    /** The ids among {@code ids} that are stored, in id order; a transaction of its own. */
    private List<JobId> storedIds(List<JobId> ids) {
        return context.inTransaction("look-up of " + ids.size() + " job ids", c -> {
            java.util.TreeSet<JobId> stored = new java.util.TreeSet<>();
            for (List<JobId> chunk : Dialect.chunks(ids, KEY_CHUNK)) {
                try (PreparedStatement select = c.prepareStatement("SELECT id FROM " + context.tables.job()
                        + " WHERE id IN (" + placeholders(chunk.size()) + ")")) {
                    context.dialect.setIds(select, 1, chunk);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            stored.add(context.dialect.getId(rows, 1));
                        }
                    }
                }
            }
            return new ArrayList<>(stored);
        });
    }

    record Result(List<EnqueueResult> results, boolean storedAny) {
    }

    private Result enqueueIn(Connection connection, Plan plan, boolean ownTransaction) throws SQLException {
        Map<JobId, GraphStatements.Birth> births = plan.graph == null ? Map.of() : graph.births(connection, plan.graph);
        Map<JobId, JobId> heldBy = context.dialect.isPostgres()
                ? insertWithArrays(connection, plan.candidates, births, plan.graph != null)
                : insertAfterKeyCheck(connection, plan.candidates, births, ownTransaction);
        if (plan.anyKey) {
            heldBy = keysHeldOn(connection, plan.candidates, heldBy);
        }
        List<NewJob> jobs = plan.jobs;
        EnqueueResult[] results = new EnqueueResult[jobs.size()];
        boolean storedAny = false;
        Set<JobId> notStored = plan.graph == null ? null : new HashSet<>();
        for (int i = 0; i < results.length; i++) {
            int first = plan.sameKeyAs[i];
            NewJob owner = first < 0 ? jobs.get(i) : jobs.get(first);
            JobId holder = heldBy.get(owner.id());
            if (first < 0 && holder == null) {
                results[i] = new EnqueueResult(owner.id(), false);
                storedAny = true;
            } else {
                results[i] = new EnqueueResult(holder != null ? holder : owner.id(), true);
                if (notStored != null) {
                    notStored.add(jobs.get(i).id());
                }
            }
        }
        if (plan.graph != null) {
            graph.storeEdges(connection, plan.graph, births, notStored);
        }
        if (plan.anyOptions) {
            List<NewJob> stored = new ArrayList<>();
            for (NewJob job : plan.candidates) {
                if (!heldBy.containsKey(job.id())) {
                    stored.add(job);
                }
            }
            uniqueKeys.storeOptions(connection, stored);
        }
        if (storedAny) {
            context.notifyOtherNodes(connection);
        }
        return new Result(Collections.unmodifiableList(Arrays.asList(results)), storedAny);
    }

    /** Adds to {@code heldBy} the inserted jobs whose key a SUCCEEDED job holds on (they are deleted again). */
    private Map<JobId, JobId> keysHeldOn(Connection connection, List<NewJob> candidates, Map<JobId, JobId> heldBy)
            throws SQLException {
        List<NewJob> inserted = new ArrayList<>();
        for (NewJob job : candidates) {
            if (job.uniqueKey() != null && !heldBy.containsKey(job.id())) {
                inserted.add(job);
            }
        }
        Map<JobId, JobId> heldOn = uniqueKeys.dropHeldOn(connection, inserted);
        if (heldOn.isEmpty()) {
            return heldBy;
        }
        Map<JobId, JobId> all = new HashMap<>(heldBy);
        all.putAll(heldOn);
        return all;
    }

    /** PostgreSQL: one INSERT for the whole list; returns, for jobs not stored, the live holder of their key. */
    private Map<JobId, JobId> insertWithArrays(Connection connection, List<NewJob> jobs,
                                               Map<JobId, GraphStatements.Birth> births, boolean graph)
            throws SQLException {
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
        Short[] fixedStates = graph ? new Short[n] : null;
        String[] errors = graph ? new String[n] : null;
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
            GraphStatements.Birth birth = graph ? births.get(job.id()) : null;
            if (birth != null && birth.state() != null) {
                fixedStates[i] = (short) birth.state().ordinal();
                errors[i] = birth.error();
            }
        }
        Set<UUID> inserted = new HashSet<>(n * 2);
        try (PreparedStatement statement = connection.prepareStatement(graph ? unnestGraphInsertSql : unnestInsertSql)) {
            List<Array> arrays = new ArrayList<>(List.of(
                connection.createArrayOf("uuid", ids), connection.createArrayOf("text", queues),
                connection.createArrayOf("int8", runAts), connection.createArrayOf("int2", priorities),
                connection.createArrayOf("text", types), connection.createArrayOf("text", tenants),
                connection.createArrayOf("text", keys), connection.createArrayOf("int4", maxAttempts),
                connection.createArrayOf("int8", timeouts), connection.createArrayOf("int8", createdAts),
                connection.createArrayOf("bytea", payloads)));
            if (graph) {
                arrays.add(connection.createArrayOf("int2", fixedStates));
                arrays.add(connection.createArrayOf("text", errors));
            }
            for (int i = 0; i < arrays.size(); i++) {
                statement.setArray(i + 1, arrays.get(i));
            }
            context.bindNow(statement, arrays.size() + 1);
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
    private Map<JobId, JobId> insertAfterKeyCheck(Connection connection, List<NewJob> jobs,
                                                  Map<JobId, GraphStatements.Birth> births, boolean ownTransaction)
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
                GraphStatements.Birth birth = births.get(job.id());
                JobState fixed = birth == null ? null : birth.state();
                context.dialect.setId(statement, 1, job.id());
                statement.setString(2, job.queue());
                statement.setInt(3, fixed != null ? fixed.ordinal() : scheduled ? SCHEDULED : READY);
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
                if (fixed == JobState.CANCELLED) {
                    statement.setLong(14, now);
                } else {
                    statement.setNull(14, Types.BIGINT);
                }
                statement.setString(15, birth == null ? null : birth.error());
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
