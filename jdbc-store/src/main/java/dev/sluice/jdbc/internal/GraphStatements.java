package dev.sluice.jdbc.internal;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.graph.FailurePolicy;
import dev.sluice.store.Dependency;
import dev.sluice.store.NewJob;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Dependency edges as they are stored: checking and locking the parents of new jobs, the state each new job starts
 * in, the edges and waiting counters written with them, and the two edge queries. What happens when a parent
 * ends is {@link DependencyRelease}'s.
 */
final class GraphStatements {

    private static final int CHUNK = 500;
    private static final FailurePolicy[] POLICIES = FailurePolicy.values();

    private final StoreContext context;
    private final String postgresEdgesSql;

    GraphStatements(StoreContext context) {
        this.context = context;
        this.postgresEdgesSql = "WITH e AS (INSERT INTO " + context.tables.edge()
                + " (parent, child, parent_index, on_failure, settled) "
                + "SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::int[], ?::smallint[], ?::boolean[])) "
                + "INSERT INTO " + context.tables.waitCounter() + " (id, pending_parents) "
                + "SELECT * FROM unnest(?::uuid[], ?::int[])";
    }

    /**
     * The edges of one enqueue list, checked before anything is stored: each parent comes earlier in the list or
     * is stored already (checked in the transaction), no job names a parent twice, and no parent is a job of the
     * list whose unique key an earlier job of the list holds.
     */
    static final class Plan {
        final List<NewJob> withParents = new ArrayList<>();
        /** Parents outside the list, in id order (the order they are locked in). */
        final TreeSet<JobId> external = new TreeSet<>();

        private Plan() {
        }

        /** The plan of a list, or null when no job of it has parents (the usual enqueue). */
        static Plan of(List<NewJob> jobs, Set<JobId> duplicatesInList) {
            Plan plan = null;
            Map<JobId, Integer> index = null;
            for (int i = 0; i < jobs.size(); i++) {
                NewJob job = jobs.get(i);
                if (!job.hasParents()) {
                    continue;
                }
                if (plan == null) {
                    plan = new Plan();
                    index = new HashMap<>();
                    for (int j = 0; j < jobs.size(); j++) {
                        index.putIfAbsent(jobs.get(j).id(), j);
                    }
                }
                plan.withParents.add(job);
                Set<JobId> seen = new HashSet<>();
                for (Dependency edge : job.parents()) {
                    JobId parent = edge.parent();
                    if (!seen.add(parent)) {
                        throw new IllegalArgumentException("job " + job.id() + " (type '" + job.type()
                                + "') names parent " + parent + " twice; nothing was stored");
                    }
                    Integer at = index.get(parent);
                    if (at == null) {
                        plan.external.add(parent);
                    } else if (at > i) {
                        throw new IllegalArgumentException("job " + job.id() + " (type '" + job.type()
                                + "') depends on job " + parent + ", which comes later in the same enqueue: a "
                                + "parent must be stored already or come earlier in the list; nothing was stored");
                    } else if (duplicatesInList.contains(parent)) {
                        throw notStoredParent(job, parent);
                    }
                }
            }
            return plan;
        }
    }

    static IllegalArgumentException notStoredParent(NewJob child, JobId parent) {
        return new IllegalArgumentException("job " + child.id() + " (type '" + child.type() + "') depends on job "
                + parent + ", which is not stored: its unique key is held by another job; nothing was stored");
    }

    /**
     * How a new job with parents starts.
     *
     * @param state   WAITING, CANCELLED, or null for SCHEDULED/READY by its run-at
     * @param error   why it starts CANCELLED, else null
     * @param pending the parents it waits for
     * @param settled per edge, whether the parent had ended already (the edge needs nothing more)
     */
    record Birth(JobState state, String error, int pending, boolean[] settled) {
    }

    /**
     * Locks the stored parents against change until the transaction ends (so that a parent cannot end unseen
     * between this check and the new edges' commit) and works out how each new job starts.
     *
     * @throws IllegalArgumentException naming the parents that are not stored
     */
    Map<JobId, Birth> births(Connection connection, Plan plan) throws SQLException {
        Map<JobId, JobState> states = lockParents(connection, plan.external);
        if (states.size() < plan.external.size()) {
            List<JobId> missing = new ArrayList<>();
            for (JobId id : plan.external) {
                if (!states.containsKey(id)) {
                    missing.add(id);
                }
            }
            throw new IllegalArgumentException("unknown parent job" + (missing.size() == 1 ? " " : "s ") + missing
                    + ": a parent must be stored already or come earlier in the same enqueue; nothing was stored");
        }
        Map<JobId, Birth> births = new HashMap<>();
        for (NewJob job : plan.withParents) {
            List<Dependency> parents = job.parents();
            boolean[] settled = new boolean[parents.size()];
            int pending = 0;
            String cancelledBy = null;
            for (int i = 0; i < settled.length; i++) {
                Dependency edge = parents.get(i);
                JobState parent = states.get(edge.parent());
                if (parent == null) {
                    Birth inList = births.get(edge.parent());
                    parent = inList == null ? null : inList.state() == JobState.CANCELLED ? JobState.CANCELLED : null;
                }
                if (parent == null || !parent.isTerminal()) {
                    pending++;
                    continue;
                }
                settled[i] = true;
                if (parent != JobState.SUCCEEDED && edge.onFailure() == FailurePolicy.CANCEL_DEPENDENTS
                        && cancelledBy == null) {
                    cancelledBy = "parent job " + edge.parent() + " ended " + parent;
                }
            }
            Birth birth;
            if (cancelledBy != null) {
                java.util.Arrays.fill(settled, true); // a cancelled job waits for nothing
                birth = new Birth(JobState.CANCELLED, cancelledBy, 0, settled);
            } else {
                birth = new Birth(pending > 0 ? JobState.WAITING : null, null, pending, settled);
            }
            births.put(job.id(), birth);
        }
        return births;
    }

    private Map<JobId, JobState> lockParents(Connection connection, TreeSet<JobId> ids) throws SQLException {
        Map<JobId, JobState> states = new HashMap<>();
        if (ids.isEmpty()) {
            return states;
        }
        // in id order, like every other lock taken on job rows, so that lockers never wait in a cycle
        for (List<JobId> chunk : Dialect.chunks(new ArrayList<>(ids), CHUNK)) {
            try (PreparedStatement select = connection.prepareStatement("SELECT id, state FROM "
                    + context.tables.job() + " WHERE id IN (" + EnqueueStatements.placeholders(chunk.size())
                    + ") ORDER BY id" + context.dialect.shareLockClause())) {
                context.dialect.setIds(select, 1, chunk);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        states.put(context.dialect.getId(rows, 1), JobState.values()[rows.getInt(2)]);
                    }
                }
            }
        }
        return states;
    }

    /** One edge row as written. */
    private record EdgeRow(JobId parent, JobId child, int parentIndex, int onFailure, boolean settled) {
    }

    /** Writes the edges of the stored jobs of the plan, and a counter for each that starts WAITING. */
    void storeEdges(Connection connection, Plan plan, Map<JobId, Birth> births, Set<JobId> notStored)
            throws SQLException {
        List<EdgeRow> edges = new ArrayList<>();
        List<NewJob> waiting = new ArrayList<>();
        for (NewJob job : plan.withParents) {
            if (notStored.contains(job.id())) {
                continue;
            }
            Birth birth = births.get(job.id());
            List<Dependency> parents = job.parents();
            for (int i = 0; i < parents.size(); i++) {
                Dependency edge = parents.get(i);
                if (notStored.contains(edge.parent())) {
                    throw notStoredParent(job, edge.parent());
                }
                edges.add(new EdgeRow(edge.parent(), job.id(), i, edge.onFailure().ordinal(), birth.settled()[i]));
            }
            if (birth.state() == JobState.WAITING) {
                waiting.add(job);
            }
        }
        if (context.dialect.isPostgres()) {
            storeWithArrays(connection, edges, waiting, births);
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + context.tables.edge()
                + " (parent, child, parent_index, on_failure, settled) VALUES (?, ?, ?, ?, ?)")) {
            for (EdgeRow edge : edges) {
                context.dialect.setId(insert, 1, edge.parent());
                context.dialect.setId(insert, 2, edge.child());
                insert.setInt(3, edge.parentIndex());
                insert.setInt(4, edge.onFailure());
                insert.setBoolean(5, edge.settled());
                insert.addBatch();
            }
            if (!edges.isEmpty()) {
                insert.executeBatch();
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + context.tables.waitCounter()
                + " (id, pending_parents) VALUES (?, ?)")) {
            for (NewJob job : waiting) {
                context.dialect.setId(insert, 1, job.id());
                insert.setInt(2, births.get(job.id()).pending());
                insert.addBatch();
            }
            if (!waiting.isEmpty()) {
                insert.executeBatch();
            }
        }
    }

    private void storeWithArrays(Connection connection, List<EdgeRow> edges, List<NewJob> waiting,
                                 Map<JobId, Birth> births) throws SQLException {
        int n = edges.size();
        UUID[] parents = new UUID[n];
        UUID[] children = new UUID[n];
        Integer[] positions = new Integer[n];
        Short[] policies = new Short[n];
        Boolean[] settled = new Boolean[n];
        for (int i = 0; i < n; i++) {
            EdgeRow edge = edges.get(i);
            parents[i] = edge.parent().toUuid();
            children[i] = edge.child().toUuid();
            positions[i] = edge.parentIndex();
            policies[i] = (short) edge.onFailure();
            settled[i] = edge.settled();
        }
        UUID[] waitingIds = new UUID[waiting.size()];
        Integer[] pending = new Integer[waiting.size()];
        for (int i = 0; i < waitingIds.length; i++) {
            waitingIds[i] = waiting.get(i).id().toUuid();
            pending[i] = births.get(waiting.get(i).id()).pending();
        }
        try (PreparedStatement statement = connection.prepareStatement(postgresEdgesSql)) {
            statement.setArray(1, connection.createArrayOf("uuid", parents));
            statement.setArray(2, connection.createArrayOf("uuid", children));
            statement.setArray(3, connection.createArrayOf("int4", positions));
            statement.setArray(4, connection.createArrayOf("int2", policies));
            statement.setArray(5, connection.createArrayOf("bool", settled));
            statement.setArray(6, connection.createArrayOf("uuid", waitingIds));
            statement.setArray(7, connection.createArrayOf("int4", pending));
            statement.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- queries

    List<Dependency> parentsOf(JobId child) {
        return context.inTransaction("parents of job " + child, c -> {
            List<Dependency> parents = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT parent, on_failure FROM "
                    + context.tables.edge() + " WHERE child = ? ORDER BY parent_index")) {
                context.dialect.setId(select, 1, child);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        parents.add(new Dependency(context.dialect.getId(rows, 1), POLICIES[rows.getInt(2)]));
                    }
                }
            }
            return List.copyOf(parents);
        });
    }

    List<JobId> childrenOf(JobId parent) {
        return context.inTransaction("children of job " + parent, c -> {
            List<JobId> children = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT child FROM " + context.tables.edge()
                    + " WHERE parent = ? ORDER BY child")) {
                context.dialect.setId(select, 1, parent);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        children.add(context.dialect.getId(rows, 1));
                    }
                }
            }
            return List.copyOf(children);
        });
    }
}
