package dev.sluice.jdbc.internal;

import dev.sluice.JobId;
import dev.sluice.store.Completion;
import dev.sluice.store.LeaseRef;
import dev.sluice.store.LeaseStatus;
import dev.sluice.store.WriteResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * PostgreSQL's fenced writes, each ONE statement whatever the number of jobs: the completions of a call (all
 * outcome kinds together, the outcome as a column of the unnested arrays; results inserted by a data-modifying
 * CTE) and a lease renewal, each preceded in its transaction by one statement that locks the named RUNNING rows
 * in id order (so that a node's completion and renewal never deadlock). A row is changed only when it is RUNNING
 * under the presented token.
 */
final class PostgresCompletions {

    private static final int SUCCEEDED = Completion.Outcome.SUCCEEDED.ordinal();
    private static final int RETRY = Completion.Outcome.RETRY.ordinal();
    private static final int DEAD = Completion.Outcome.DEAD.ordinal();
    private static final int CANCELLED = Completion.Outcome.CANCELLED.ordinal();
    private static final int RELEASED = Completion.Outcome.RELEASED.ordinal();

    private final StoreContext context;
    private final DependencyRelease release;
    private final String completeSql;
    private final String renewSql;
    private final String lockSql;

    PostgresCompletions(StoreContext context, DependencyRelease release) {
        this.context = context;
        this.release = release;
        String job = context.tables.job();
        long step = context.agingStepMillis;
        String waits = "(c.outcome IN (" + RETRY + ", " + RELEASED + ") AND NOT j.cancel_requested)";
        String later = "(" + waits + " AND c.run_at > n.t)";
        String retryNow = "(c.outcome = " + RETRY + " AND NOT j.cancel_requested)";
        this.completeSql = "WITH n AS (SELECT " + context.nowExpression() + " AS t), "
                + "c AS (SELECT * FROM unnest(?::uuid[], ?::bigint[], ?::smallint[], ?::text[], ?::bigint[], "
                + "?::bytea[]) AS c(id, token, outcome, error, run_at, result)), "
                + "done AS (UPDATE " + job + " j SET "
                + "state = CASE WHEN c.outcome = " + SUCCEEDED + " THEN 4 WHEN c.outcome = " + DEAD + " THEN 5 "
                + "WHEN c.outcome = " + CANCELLED + " OR j.cancel_requested THEN 6 "
                + "WHEN c.run_at > n.t THEN 1 ELSE 2 END, "
                + "due_at = CASE WHEN " + later + " THEN c.run_at WHEN " + retryNow + " THEN n.t ELSE j.due_at END, "
                + "sort_key = CASE WHEN " + later + " THEN c.run_at - j.priority * " + step
                + " WHEN " + retryNow + " THEN n.t - j.priority * " + step + " ELSE j.sort_key END, "
                + "attempts = j.attempts - CASE WHEN c.outcome = " + RELEASED + " THEN 1 ELSE 0 END, "
                + "last_error = CASE WHEN c.outcome IN (" + RETRY + ", " + DEAD + ", " + CANCELLED
                + ") THEN c.error ELSE j.last_error END, "
                + "finished_at = CASE WHEN " + waits + " THEN NULL ELSE n.t END, "
                + "lease_owner = NULL, lease_expires_at = NULL "
                + "FROM c, n WHERE j.id = c.id AND j.state = 3 AND j.fencing_token = c.token "
                + "RETURNING j.id, j.state, j.unique_key), "
                + "saved AS (INSERT INTO " + context.tables.result() + " (id, result) SELECT c.id, c.result "
                + "FROM c JOIN done d ON d.id = c.id WHERE c.outcome = " + SUCCEEDED + " AND c.result IS NOT NULL), "
                // the edges of the jobs that ended, settled in the same statement: for jobs without children
                // this costs one index probe each and no round trip (see DependencyRelease)
                + "settled AS (UPDATE " + context.tables.edge() + " e SET settled = true FROM done d "
                + "WHERE e.parent = d.id AND d.state >= 4 AND NOT e.settled "
                + "RETURNING e.parent, e.child, e.on_failure, d.state), "
                // a key asked to be held on after success. Only succeeded jobs with a key look their options up, one
                // index probe each: LIMIT 1 keeps the LATERAL a nested loop (never a scan of job_unique per batch)
                + "held AS (INSERT INTO " + context.tables.uniqueHold() + " (unique_key, holder, held_until) "
                + "SELECT d.unique_key, d.id, n.t + u.hold_millis FROM done d CROSS JOIN n CROSS JOIN LATERAL "
                + "(SELECT o.hold_millis FROM " + context.tables.uniqueOption() + " o WHERE o.id = d.id "
                + "AND o.hold_millis > 0 LIMIT 1) u WHERE d.state = 4 AND d.unique_key IS NOT NULL "
                + "ON CONFLICT (unique_key) DO UPDATE SET holder = EXCLUDED.holder, held_until = EXCLUDED.held_until) "
                + "SELECT id, state, NULL::uuid, 0::smallint, (SELECT t FROM n) FROM done "
                + "UNION ALL SELECT parent, state, child, on_failure, (SELECT t FROM n) FROM settled";
        // Completions and renewals of one node name the same rows; an UPDATE ... FROM unnest locks them in
        // whatever order its plan meets them, so two such statements deadlocked (found by the crash test: each
        // deadlock stalled both writers for deadlock_timeout, 1 s by default, long enough to lose short leases).
        // Both now lock their running rows first in id order, as LockRows above the sort, and then never wait.
        this.lockSql = "SELECT 1 FROM " + job + " WHERE id = ANY(?::uuid[]) AND state = 3 ORDER BY id "
                + "FOR NO KEY UPDATE";
        this.renewSql = "WITH n AS (SELECT " + context.nowExpression() + " AS t) "
                + "UPDATE " + job + " j SET lease_expires_at = n.t + ? "
                + "FROM unnest(?::uuid[], ?::bigint[]) AS c(id, token), n "
                + "WHERE j.id = c.id AND j.state = 3 AND j.fencing_token = c.token "
                + "RETURNING j.id, j.cancel_requested, j.fencing_token";
    }

    LeaseStatements.Outcome completeAll(Connection connection, List<Completion> completions) throws SQLException {
        int n = completions.size();
        // A job named twice is completed by its first completion; the later ones are STALE as in every store.
        Set<JobId> named = new HashSet<>();
        boolean[] later = new boolean[n];
        UUID[] ids = new UUID[n];
        Long[] tokens = new Long[n];
        Short[] outcomes = new Short[n];
        String[] errors = new String[n];
        Long[] runAts = new Long[n];
        byte[][] results = new byte[n][];
        int used = 0;
        for (int i = 0; i < n; i++) {
            Completion completion = completions.get(i);
            if (!named.add(completion.id())) {
                later[i] = true;
                continue;
            }
            ids[used] = completion.id().toUuid();
            tokens[used] = completion.fencingToken();
            outcomes[used] = (short) completion.outcome().ordinal();
            errors[used] = context.dialect.storableText(completion.error());
            runAts[used] = completion.runAtMillis();
            results[used] = completion.result();
            used++;
        }
        Map<UUID, Integer> accepted = new HashMap<>();
        List<DependencyRelease.SettledEdge> settled = new ArrayList<>();
        long now = 0;
        lockInIdOrder(connection, Arrays.copyOf(ids, used));
        try (PreparedStatement statement = connection.prepareStatement(completeSql)) {
            context.bindNow(statement, 1);
            statement.setArray(2, connection.createArrayOf("uuid", Arrays.copyOf(ids, used)));
            statement.setArray(3, connection.createArrayOf("int8", Arrays.copyOf(tokens, used)));
            statement.setArray(4, connection.createArrayOf("int2", Arrays.copyOf(outcomes, used)));
            statement.setArray(5, connection.createArrayOf("text", Arrays.copyOf(errors, used)));
            statement.setArray(6, connection.createArrayOf("int8", Arrays.copyOf(runAts, used)));
            statement.setArray(7, connection.createArrayOf("bytea", Arrays.copyOf(results, used)));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    UUID child = rows.getObject(3, UUID.class);
                    now = rows.getLong(5);
                    if (child == null) {
                        accepted.put(rows.getObject(1, UUID.class), rows.getInt(2));
                    } else {
                        settled.add(new DependencyRelease.SettledEdge(context.dialect.getId(rows, 1),
                                DependencyRelease.state(rows.getInt(2)), context.dialect.getId(rows, 3),
                                rows.getInt(4)));
                    }
                }
            }
        }
        WriteResult[] written = new WriteResult[n];
        boolean madeWork = !settled.isEmpty() && release.edgesSettled(connection, now, settled);
        for (int i = 0; i < n; i++) {
            Integer state = later[i] ? null : accepted.get(completions.get(i).id().toUuid());
            written[i] = state == null ? WriteResult.STALE : WriteResult.ACCEPTED;
            madeWork |= state != null && (state == 1 || state == 2);
        }
        if (madeWork) {
            context.notifyOtherNodes(connection);
        }
        return new LeaseStatements.Outcome(Collections.unmodifiableList(Arrays.asList(written)), madeWork);
    }

    List<LeaseStatus> renewLeases(Connection connection, List<LeaseRef> leases, long leaseMillis)
            throws SQLException {
        int n = leases.size();
        UUID[] ids = new UUID[n];
        Long[] tokens = new Long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = leases.get(i).id().toUuid();
            tokens[i] = leases.get(i).fencingToken();
        }
        Map<UUID, long[]> renewed = new HashMap<>();
        lockInIdOrder(connection, ids);
        try (PreparedStatement statement = connection.prepareStatement(renewSql)) {
            context.bindNow(statement, 1);
            statement.setLong(2, leaseMillis);
            statement.setArray(3, connection.createArrayOf("uuid", ids));
            statement.setArray(4, connection.createArrayOf("int8", tokens));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    renewed.put(rows.getObject(1, UUID.class),
                            new long[] {rows.getLong(3), rows.getBoolean(2) ? 1 : 0});
                }
            }
        }
        LeaseStatus[] statuses = new LeaseStatus[n];
        for (int i = 0; i < n; i++) {
            long[] row = renewed.get(ids[i]);
            statuses[i] = row == null || row[0] != tokens[i] ? LeaseStatus.LOST
                    : row[1] == 1 ? LeaseStatus.CANCEL_REQUESTED : LeaseStatus.RENEWED;
        }
        return Collections.unmodifiableList(Arrays.asList(statuses));
    }

    /** Locks the RUNNING rows among {@code ids} in id order, the one order every fenced writer here uses. */
    private void lockInIdOrder(Connection connection, UUID[] ids) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(lockSql)) {
            statement.setArray(1, connection.createArrayOf("uuid", ids));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    // nothing to read: the rows are locked once the statement has run
                }
            }
        }
    }
}
