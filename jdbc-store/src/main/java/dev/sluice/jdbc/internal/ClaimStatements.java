package dev.sluice.jdbc.internal;

import dev.sluice.JobId;
import dev.sluice.Priority;
import dev.sluice.store.ClaimBatch;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.QueueClaim;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Claims due jobs. A job is due when it is READY, or SCHEDULED with {@code due_at <= now}: scheduled jobs need no
 * promotion step, their sort key was computed from their run-at when they were stored.
 *
 * <p>On PostgreSQL a claim of one queue without tenant limits (the engine's usual claim) is ONE statement: an
 * UPDATE over {@code SELECT ... ORDER BY sort_key, id LIMIT n FOR UPDATE SKIP LOCKED}, whose LockRows node sits
 * under the Limit, so it locks exactly the rows it returns; tokens come from a sequence in sort-key order. Other
 * claims (per-queue bounds, tenant limits, other databases) lock candidates queue by queue with SKIP LOCKED, pick
 * in Java, and update the picked rows as one batch, all in one transaction.
 */
final class ClaimStatements {

    private static final String CLAIM_COLUMNS = "id, type, queue, priority, tenant, payload, attempts, max_attempts, "
            + "timeout_millis, created_at, due_at, sort_key";

    /** Rounds of candidate selection per queue (tenant limits, H2's LIMIT-then-skip) before giving up. */
    private static final int MAX_ROUNDS = 8;

    private static final java.util.concurrent.ConcurrentHashMap<String, Object> H2_CLAIM_LOCKS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final StoreContext context;
    private final String postgresClaimSql;
    private final String updateSql;

    /**
     * The unique key a claimed job keeps: none when it holds its key only while it waits (scope WHILE_WAITING).
     * Jobs without a key skip the look-up.
     */
    private static String givesKeyUp(UniqueKeyStatements uniqueKeys, String keyColumn, String idExpression) {
        return "CASE WHEN " + keyColumn + " IS NULL THEN NULL WHEN " + uniqueKeys.whileWaitingCondition(idExpression)
                + " THEN NULL ELSE " + keyColumn + " END";
    }

    ClaimStatements(StoreContext context, UniqueKeyStatements uniqueKeys) {
        this.context = context;
        String job = context.tables.job();
        this.postgresClaimSql = "WITH n AS (SELECT " + context.nowExpression() + " AS t), "
                + "picked AS (SELECT j.id, j.sort_key FROM " + job + " j "
                + "WHERE j.queue = ? AND j.state IN (1, 2) AND j.due_at <= (SELECT t FROM n) "
                // not correlated with j: a one-time filter, so the scan keeps the index order (see README)
                + "AND NOT EXISTS (SELECT 1 FROM " + context.tables.pause() + " p WHERE p.queue = ?) "
                + "ORDER BY j.sort_key, j.id LIMIT ? FOR UPDATE OF j SKIP LOCKED), "
                // volatile functions in a target list run after the ORDER BY: tokens ascend in claim order
                + "tokens AS (SELECT id, nextval('" + context.tables.tokenSequence() + "') AS token "
                + "FROM picked ORDER BY sort_key, id) "
                + "UPDATE " + job + " j SET state = 3, attempts = j.attempts + 1, fencing_token = k.token, "
                + "lease_owner = ?, lease_expires_at = n.t + ?, started_at = n.t, cancel_requested = false, "
                + "unique_key = " + givesKeyUp(uniqueKeys, "j.unique_key", "j.id") + " "
                + "FROM tokens k, n WHERE j.id = k.id "
                + "RETURNING j.id, j.type, j.queue, j.priority, j.tenant, j.payload, j.attempts, j.max_attempts, "
                + "j.timeout_millis, j.created_at, j.due_at, j.sort_key, j.fencing_token, j.lease_expires_at";
        this.updateSql = "UPDATE " + job + " SET state = 3, attempts = attempts + 1, fencing_token = ?, "
                + "lease_owner = ?, lease_expires_at = ?, started_at = ?, cancel_requested = false, "
                + "unique_key = " + givesKeyUp(uniqueKeys, "unique_key", "?") + " WHERE id = ?";
    }

    ClaimBatch claim(ClaimRequest request) {
        List<QueueClaim> asked = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (QueueClaim queue : request.queues()) {
            if (queue.max() > 0 && seen.add(queue.queue())) {
                asked.add(queue);
            }
        }
        if (request.maxTotal() <= 0 || asked.isEmpty()) {
            return ClaimBatch.empty();
        }
        if (context.dialect.isPostgres() && fitsOneStatement(asked)) {
            return context.inTransaction("claim", c -> claimInOneStatement(c, request, asked));
        }
        if (context.dialect.appliesLimitBeforeSkippingLocked()) {
            // H2 may hand a claimer fewer rows than are free while another claims (it cuts at LIMIT, then skips
            // locked rows): claims of one H2 database take turns in this JVM, which embedded H2 lives in.
            synchronized (H2_CLAIM_LOCKS.computeIfAbsent(context.tables.job(), k -> new Object())) {
                return context.inTransaction("claim", c -> claimQueueByQueue(c, request, asked));
            }
        }
        return context.inTransaction("claim", c -> claimQueueByQueue(c, request, asked));
    }

    /**
     * One queue without tenant limits. Several queues go queue by queue: {@code queue = ANY(?)} cannot walk the
     * claim index in sort-key order, and sorting every due job of the queues cost 80 ms at 150k due jobs
     * against 2 ms for the index walk (README, "Index choices").
     */
    private static boolean fitsOneStatement(List<QueueClaim> asked) {
        return asked.size() == 1 && asked.get(0).maxPerTenant() == Integer.MAX_VALUE;
    }

    private ClaimBatch claimInOneStatement(Connection connection, ClaimRequest request, List<QueueClaim> asked)
            throws SQLException {
        QueueClaim queue = asked.get(0);
        int limit = Math.min(queue.max(), request.maxTotal());
        List<Row> rows = new ArrayList<>(limit);
        try (PreparedStatement statement = connection.prepareStatement(postgresClaimSql)) {
            context.bindNow(statement, 1);
            statement.setString(2, queue.queue());
            statement.setString(3, queue.queue());
            statement.setInt(4, limit);
            statement.setString(5, request.nodeId());
            statement.setLong(6, request.leaseMillis());
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    Row row = readRow(result);
                    row.token = result.getLong(13);
                    row.leaseExpiresAt = result.getLong(14);
                    rows.add(row);
                }
            }
        }
        rows.sort(Row.ORDER);
        return toBatch(rows);
    }

    private ClaimBatch claimQueueByQueue(Connection connection, ClaimRequest request, List<QueueClaim> asked)
            throws SQLException {
        long now = context.now(connection);
        Set<String> paused = pausedQueues(connection);
        List<Row> picked = new ArrayList<>();
        for (QueueClaim queue : asked) {
            if (!paused.contains(queue.queue())) {
                picked.addAll(candidatesOf(connection, queue, Math.min(queue.max(), request.maxTotal()), now));
            }
        }
        if (picked.isEmpty()) {
            return ClaimBatch.empty();
        }
        picked.sort(Row.ORDER);
        if (picked.size() > request.maxTotal()) {
            picked = picked.subList(0, request.maxTotal());
        }
        long[] tokens = context.dialect.takeTokens(connection, context.tables, picked.size());
        long leaseExpiresAt = now + request.leaseMillis();
        try (PreparedStatement statement = connection.prepareStatement(updateSql)) {
            for (int i = 0; i < picked.size(); i++) {
                Row row = picked.get(i);
                row.token = tokens[i];
                row.leaseExpiresAt = leaseExpiresAt;
                row.attempts++;
                statement.setLong(1, row.token);
                statement.setString(2, request.nodeId());
                statement.setLong(3, leaseExpiresAt);
                statement.setLong(4, now);
                context.dialect.setId(statement, 5, row.id);
                context.dialect.setId(statement, 6, row.id);
                statement.addBatch();
            }
            statement.executeBatch();
        }
        return toBatch(picked);
    }

    /**
     * Locks up to {@code want} due jobs of one queue within its tenant limits. Jobs of a tenant at its limit are
     * skipped by asking again without that tenant, so a busy tenant never hides the jobs of others.
     */
    private List<Row> candidatesOf(Connection connection, QueueClaim queue, int want, long now) throws SQLException {
        boolean tenantLimited = queue.maxPerTenant() != Integer.MAX_VALUE;
        Map<String, Integer> budget = new HashMap<>();
        Set<String> exhausted = new LinkedHashSet<>();
        Set<JobId> rejected = new HashSet<>();
        List<Row> accepted = new ArrayList<>();
        boolean limitBeforeSkip = context.dialect.appliesLimitBeforeSkippingLocked();
        for (int round = 0; accepted.size() < want && round < MAX_ROUNDS; round++) {
            // Rows this transaction already locked come back (SKIP LOCKED skips other transactions' locks only).
            // Where the database cuts at LIMIT before skipping (H2), widen the window each round instead.
            int window = (want + accepted.size()) << (limitBeforeSkip ? round : 0);
            List<Row> rows = select(connection, queue.queue(), now, window, exhausted);
            int fresh = 0;
            for (Row row : rows) {
                if (rejected.contains(row.id) || containsId(accepted, row.id)) {
                    continue;
                }
                fresh++;
                if (!tenantLimited || row.tenant == null) {
                    accepted.add(row);
                } else {
                    int left = budget.computeIfAbsent(row.tenant,
                            t -> queue.maxPerTenant() - queue.tenantInFlight().getOrDefault(t, 0));
                    if (left > 0) {
                        budget.put(row.tenant, left - 1);
                        accepted.add(row);
                    } else {
                        exhausted.add(row.tenant);
                        rejected.add(row.id);
                    }
                }
                if (accepted.size() == want) {
                    break;
                }
            }
            boolean queueEmpty = rows.size() < window;
            if (limitBeforeSkip ? queueEmpty && fresh == 0 : queueEmpty || fresh == 0) {
                break; // the queue has no more due jobs we may take
            }
        }
        return accepted;
    }

    private static boolean containsId(List<Row> rows, JobId id) {
        for (Row row : rows) {
            if (row.id.equals(id)) {
                return true;
            }
        }
        return false;
    }

    private List<Row> select(Connection connection, String queue, long now, int limit, Set<String> exhaustedTenants)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(CLAIM_COLUMNS).append(" FROM ")
                .append(context.tables.job()).append(" WHERE ").append(context.dialect.waitingInQueue())
                .append(" AND due_at <= ?");
        if (!exhaustedTenants.isEmpty()) {
            sql.append(" AND (tenant IS NULL OR tenant NOT IN (")
                    .append(EnqueueStatements.placeholders(exhaustedTenants.size())).append("))");
        }
        sql.append(" ORDER BY sort_key, id LIMIT ? FOR UPDATE SKIP LOCKED");
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int index = 1;
            statement.setString(index++, queue);
            statement.setLong(index++, now);
            for (String tenant : exhaustedTenants) {
                statement.setString(index++, tenant);
            }
            statement.setInt(index, limit);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(readRow(result));
                }
            }
        }
        return rows;
    }

    private Set<String> pausedQueues(Connection connection) throws SQLException {
        Set<String> paused = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT queue FROM " + context.tables.pause());
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                paused.add(rows.getString(1));
            }
        }
        return paused;
    }

    private Row readRow(ResultSet result) throws SQLException {
        Row row = new Row();
        row.id = context.dialect.getId(result, 1);
        row.type = result.getString(2);
        row.queue = result.getString(3);
        row.priority = Priority.ofWeight(result.getInt(4));
        row.tenant = result.getString(5);
        row.payload = result.getBytes(6);
        row.attempts = result.getInt(7);
        row.maxAttempts = result.getInt(8);
        row.timeoutMillis = result.getLong(9);
        row.createdAt = result.getLong(10);
        row.dueAt = result.getLong(11);
        row.sortKey = result.getLong(12);
        return row;
    }

    private static ClaimBatch toBatch(List<Row> rows) {
        List<ClaimedJob> jobs = new ArrayList<>(rows.size());
        for (Row row : rows) {
            jobs.add(new ClaimedJob(row.id, row.type, row.queue, row.priority, row.tenant, row.payload, row.attempts,
                    row.maxAttempts, row.timeoutMillis, row.token, row.leaseExpiresAt, row.createdAt, row.dueAt));
        }
        return new ClaimBatch(Collections.unmodifiableList(jobs), 0);
    }

    /** One claimed or candidate row. */
    private static final class Row {
        static final Comparator<Row> ORDER = Comparator.<Row>comparingLong(r -> r.sortKey).thenComparing(r -> r.id);

        JobId id;
        String type;
        String queue;
        Priority priority;
        String tenant;
        byte[] payload;
        int attempts;
        int maxAttempts;
        long timeoutMillis;
        long createdAt;
        long dueAt;
        long sortKey;
        long token;
        long leaseExpiresAt;
    }
}
