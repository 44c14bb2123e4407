package dev.sluice.jdbc.internal;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.graph.FailurePolicy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What happens to dependents when parents end, inside the transaction that ended them (a completion, a lease
 * recovery, a cancel). Each edge of an ended parent is <i>settled</i> once (its flag flips in the same
 * statement that finds it); the child then either counts one parent fewer (the parent SUCCEEDED, or the edge's
 * policy is RUN_DEPENDENTS or IGNORE) and becomes READY or SCHEDULED when none is left, or becomes CANCELLED
 * (CANCEL_DEPENDENTS and the parent DEAD or CANCELLED), which settles its own edges in turn: the cascade runs level
 * by level in the same transaction.
 *
 * <p>Exactly once: the children of a level are locked in id order before their counters move, so two
 * transactions that end two parents of one child at the same moment take turns on the child, and only the one that
 * brings the counter to 0 releases it. Every level is set-based: on PostgreSQL one locking SELECT and one statement
 * (counter decrements, releases, cancels and the next level's edges as data-modifying CTEs); elsewhere a locking
 * SELECT per 500 children and JDBC batches.
 */
final class DependencyRelease {

    private static final int CHUNK = 500;
    private static final int WAITING = JobState.WAITING.ordinal();
    private static final int SCHEDULED = JobState.SCHEDULED.ordinal();
    private static final int READY = JobState.READY.ordinal();
    private static final int CANCELLED = JobState.CANCELLED.ordinal();
    private static final int CANCEL_DEPENDENTS = FailurePolicy.CANCEL_DEPENDENTS.ordinal();
    private static final JobState[] STATES = JobState.values();

    /** An edge whose parent has just ended, settled by the statement that returned it. */
    record SettledEdge(JobId parent, JobState parentState, JobId child, int onFailure) {
    }

    private final StoreContext context;
    private final boolean postgres;
    private final String settleSql;
    private final String lockSql;
    private final String applySql;

    DependencyRelease(StoreContext context) {
        this.context = context;
        this.postgres = context.dialect.isPostgres();
        Tables tables = context.tables;
        String job = tables.job();
        if (postgres) {
            this.settleSql = "UPDATE " + tables.edge() + " SET settled = true WHERE parent = ANY(?::uuid[]) "
                    + "AND NOT settled RETURNING parent, child, on_failure";
            this.lockSql = "SELECT 1 FROM " + job + " WHERE id = ANY(?::uuid[]) ORDER BY id FOR NO KEY UPDATE";
            long step = context.agingStepMillis;
            // r and x change disjoint job rows (a child is either released or cancelled by one level); s settles
            // the edges of the jobs x cancelled, which become the next level
            this.applySql = "WITH n AS (SELECT ?::bigint AS t), "
                    + "d AS (UPDATE " + tables.waitCounter() + " w SET pending_parents = w.pending_parents - u.k "
                    + "FROM unnest(?::uuid[], ?::int[]) AS u(id, k) WHERE w.id = u.id "
                    + "RETURNING w.id, w.pending_parents), "
                    + "r AS (UPDATE " + job + " j SET state = CASE WHEN j.due_at > n.t THEN " + SCHEDULED + " ELSE "
                    + READY + " END, due_at = GREATEST(j.due_at, n.t), "
                    + "sort_key = GREATEST(j.due_at, n.t) - j.priority * " + step + " "
                    + "FROM d, n WHERE j.id = d.id AND d.pending_parents <= 0 AND j.state = " + WAITING
                    + " RETURNING j.id), "
                    + "x AS (UPDATE " + job + " j SET state = " + CANCELLED + ", finished_at = n.t, "
                    + "last_error = u.error FROM unnest(?::uuid[], ?::text[]) AS u(id, error), n "
                    + "WHERE j.id = u.id AND j.state = " + WAITING + " RETURNING j.id), "
                    + "s AS (UPDATE " + tables.edge() + " e SET settled = true FROM x "
                    + "WHERE e.parent = x.id AND NOT e.settled RETURNING e.parent, e.child, e.on_failure) "
                    + "SELECT 0, r.id, NULL::uuid, 0::smallint FROM r "
                    + "UNION ALL SELECT 1, s.parent, s.child, s.on_failure FROM s";
        } else {
            this.settleSql = null;
            this.lockSql = null;
            this.applySql = null;
        }
    }

    /**
     * Settles the edges of parents that ended in this transaction and applies them to the children, cascading.
     *
     * @param now    the transaction's "now" (release and cancel times)
     * @param ended  the parents and the state each ended in (SUCCEEDED, DEAD or CANCELLED)
     * @return whether a child became READY or SCHEDULED (new work)
     */
    boolean parentsEnded(Connection connection, long now, Map<JobId, JobState> ended) throws SQLException {
        if (ended.isEmpty()) {
            return false;
        }
        return edgesSettled(connection, now, settle(connection, ended));
    }

    /** Applies edges that the caller's own statement has settled already (PostgreSQL completions), cascading. */
    boolean edgesSettled(Connection connection, long now, List<SettledEdge> edges) throws SQLException {
        boolean madeWork = false;
        List<SettledEdge> level = edges;
        while (!level.isEmpty()) {
            Level children = new Level(level);
            lock(connection, children.all);
            Applied applied = postgres ? applyPostgres(connection, now, children) : apply(connection, now, children);
            madeWork |= applied.releasedAny;
            level = applied.next;
        }
        return madeWork;
    }

    /** The children of one level: which lose a parent (and how many), which are cancelled (and why). */
    private static final class Level {
        final TreeMap<JobId, Integer> decrement = new TreeMap<>();
        final TreeMap<JobId, SettledEdge> cancel = new TreeMap<>();
        final TreeSet<JobId> all = new TreeSet<>();

        Level(List<SettledEdge> edges) {
            for (SettledEdge edge : edges) {
                if (edge.parentState() != JobState.SUCCEEDED && edge.onFailure() == CANCEL_DEPENDENTS) {
                    // several failed parents in one level: the lowest id is named, so the error is deterministic
                    cancel.merge(edge.child(), edge, (a, b) -> a.parent().compareTo(b.parent()) <= 0 ? a : b);
                } else {
                    decrement.merge(edge.child(), 1, Integer::sum);
                }
                all.add(edge.child());
            }
            decrement.keySet().removeAll(cancel.keySet()); // a cancelled child need not count
        }

        static String reason(SettledEdge edge) {
            return "parent job " + edge.parent() + " ended " + edge.parentState();
        }
    }

    private record Applied(boolean releasedAny, List<SettledEdge> next) {
    }

    // ---------------------------------------------------------------- settling edges

    private List<SettledEdge> settle(Connection connection, Map<JobId, JobState> ended) throws SQLException {
        List<SettledEdge> edges = new ArrayList<>();
        if (postgres) {
            try (PreparedStatement statement = connection.prepareStatement(settleSql)) {
                statement.setArray(1, connection.createArrayOf("uuid", Dialect.uuids(ended.keySet())));
                try (ResultSet rows = statement.executeQuery()) {
                    readEdges(rows, ended, edges);
                }
            }
            return edges;
        }
        for (List<JobId> chunk : Dialect.chunks(new ArrayList<>(ended.keySet()), CHUNK)) {
            String in = " WHERE parent IN (" + EnqueueStatements.placeholders(chunk.size()) + ") AND settled = FALSE";
            int found = edges.size();
            try (PreparedStatement select = connection.prepareStatement("SELECT parent, child, on_failure FROM "
                    + context.tables.edge() + in)) {
                context.dialect.setIds(select, 1, chunk);
                try (ResultSet rows = select.executeQuery()) {
                    readEdges(rows, ended, edges);
                }
            }
            if (edges.size() > found) { // the usual job has no children: one probe, no write
                try (PreparedStatement update = connection.prepareStatement("UPDATE " + context.tables.edge()
                        + " SET settled = TRUE" + in)) {
                    context.dialect.setIds(update, 1, chunk);
                    update.executeUpdate();
                }
            }
        }
        return edges;
    }

    private void readEdges(ResultSet rows, Map<JobId, JobState> ended, List<SettledEdge> into) throws SQLException {
        while (rows.next()) {
            JobId parent = context.dialect.getId(rows, 1);
            into.add(new SettledEdge(parent, ended.get(parent), context.dialect.getId(rows, 2), rows.getInt(3)));
        }
    }

    // ---------------------------------------------------------------- PostgreSQL: one statement per level

    private void lock(Connection connection, TreeSet<JobId> children) throws SQLException {
        if (postgres) {
            try (PreparedStatement statement = connection.prepareStatement(lockSql)) {
                statement.setArray(1, connection.createArrayOf("uuid", Dialect.uuids(children)));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        // nothing to read: the rows are locked once the statement has run
                    }
                }
            }
        }
        // elsewhere apply() locks them itself, reading what it needs
    }

    private Applied applyPostgres(Connection connection, long now, Level level) throws SQLException {
        Integer[] counts = level.decrement.values().toArray(new Integer[0]);
        String[] reasons = new String[level.cancel.size()];
        int i = 0;
        for (SettledEdge edge : level.cancel.values()) {
            reasons[i++] = Level.reason(edge);
        }
        boolean releasedAny = false;
        List<SettledEdge> next = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(applySql)) {
            statement.setLong(1, now);
            statement.setArray(2, connection.createArrayOf("uuid", Dialect.uuids(level.decrement.keySet())));
            statement.setArray(3, connection.createArrayOf("int4", counts));
            statement.setArray(4, connection.createArrayOf("uuid", Dialect.uuids(level.cancel.keySet())));
            statement.setArray(5, connection.createArrayOf("text", reasons));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (rows.getInt(1) == 0) {
                        releasedAny = true;
                    } else {
                        next.add(new SettledEdge(context.dialect.getId(rows, 2), JobState.CANCELLED,
                                context.dialect.getId(rows, 3), rows.getInt(4)));
                    }
                }
            }
        }
        return new Applied(releasedAny, next);
    }

    // ---------------------------------------------------------------- other databases: batches per level

    /** A locked child row. */
    private record Child(int state, long dueAt, int priority) {
    }

    private Applied apply(Connection connection, long now, Level level) throws SQLException {
        Map<JobId, Child> rows = lockChildren(connection, level.all);
        Map<JobId, Integer> pending = pendingCounts(connection, level.decrement, rows);
        List<JobId> released = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + context.tables.waitCounter()
                + " SET pending_parents = ? WHERE id = ?")) {
            for (Map.Entry<JobId, Integer> entry : pending.entrySet()) {
                int left = entry.getValue() - level.decrement.get(entry.getKey());
                update.setInt(1, left);
                context.dialect.setId(update, 2, entry.getKey());
                update.addBatch();
                if (left <= 0) {
                    released.add(entry.getKey());
                }
            }
            if (!pending.isEmpty()) {
                update.executeBatch();
            }
        }
        if (!released.isEmpty()) {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + context.tables.job()
                    + " SET state = ?, due_at = ?, sort_key = ? WHERE id = ?")) {
                for (JobId id : released) {
                    Child child = rows.get(id);
                    long dueAt = Math.max(child.dueAt(), now);
                    update.setInt(1, child.dueAt() > now ? SCHEDULED : READY);
                    update.setLong(2, dueAt);
                    update.setLong(3, context.sortKey(dueAt, child.priority()));
                    context.dialect.setId(update, 4, id);
                    update.addBatch();
                }
                update.executeBatch();
            }
        }
        Map<JobId, JobState> cancelled = new HashMap<>();
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + context.tables.job()
                + " SET state = " + CANCELLED + ", finished_at = ?, last_error = ? WHERE id = ?")) {
            for (SettledEdge edge : level.cancel.values()) {
                Child child = rows.get(edge.child());
                if (child != null && child.state() == WAITING) {
                    update.setLong(1, now);
                    update.setString(2, Level.reason(edge));
                    context.dialect.setId(update, 3, edge.child());
                    update.addBatch();
                    cancelled.put(edge.child(), JobState.CANCELLED);
                }
            }
            if (!cancelled.isEmpty()) {
                update.executeBatch();
            }
        }
        return new Applied(!released.isEmpty(), cancelled.isEmpty() ? List.of() : settle(connection, cancelled));
    }

    /** Locks the children in id order, chunk after chunk, and reads what a release needs. */
    private Map<JobId, Child> lockChildren(Connection connection, TreeSet<JobId> children) throws SQLException {
        Map<JobId, Child> rows = new HashMap<>();
        for (List<JobId> chunk : Dialect.chunks(new ArrayList<>(children), CHUNK)) {
            try (PreparedStatement select = connection.prepareStatement("SELECT id, state, due_at, priority FROM "
                    + context.tables.job() + " WHERE id IN (" + EnqueueStatements.placeholders(chunk.size())
                    + ") ORDER BY id FOR UPDATE")) {
                context.dialect.setIds(select, 1, chunk);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        rows.put(context.dialect.getId(result, 1),
                                new Child(result.getInt(2), result.getLong(3), result.getInt(4)));
                    }
                }
            }
        }
        return rows;
    }

    /**
     * The counters of the WAITING children that lose parents. Read after the children are locked, by a statement
     * of its own: at READ COMMITTED it sees every decrement committed by whoever held the lock before.
     */
    private Map<JobId, Integer> pendingCounts(Connection connection, Map<JobId, Integer> decrement,
                                              Map<JobId, Child> rows) throws SQLException {
        List<JobId> waiting = new ArrayList<>();
        for (JobId id : decrement.keySet()) {
            Child child = rows.get(id);
            if (child != null && child.state() == WAITING) {
                waiting.add(id);
            }
        }
        Map<JobId, Integer> pending = new TreeMap<>();
        for (List<JobId> chunk : Dialect.chunks(waiting, CHUNK)) {
            if (chunk.isEmpty()) {
                continue;
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT id, pending_parents FROM "
                    + context.tables.waitCounter() + " WHERE id IN (" + EnqueueStatements.placeholders(chunk.size())
                    + ")")) {
                context.dialect.setIds(select, 1, chunk);
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        pending.put(context.dialect.getId(result, 1), result.getInt(2));
                    }
                }
            }
        }
        return pending;
    }


    static JobState state(int code) {
        return STATES[code];
    }
}
