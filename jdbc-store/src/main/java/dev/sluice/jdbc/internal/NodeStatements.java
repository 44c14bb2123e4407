package dev.sluice.jdbc.internal;

import dev.sluice.store.NodeInfo;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The node registry, one row per engine, renewed by its heartbeats. "Last seen" and expiry are the store's "now"
 * (the database's clock unless a clock was given), so a node's own clock cannot keep it listed.
 */
final class NodeStatements {

    private final StoreContext context;

    NodeStatements(StoreContext context) {
        this.context = context;
    }

    void heartbeat(NodeInfo node, long ttlMillis) {
        Objects.requireNonNull(node, "node");
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException("ttlMillis must be > 0 but was " + ttlMillis);
        }
        long now = context.inTransaction("heartbeat of node " + node.nodeId(), c -> {
            long seen = context.now(c);
            try (PreparedStatement update = c.prepareStatement("UPDATE " + context.tables.node()
                    + " SET host = ?, started_at = ?, last_seen = ?, expires_at = ?, workers = ?, running = ? "
                    + "WHERE node_id = ?")) {
                bindNode(update, node, seen, ttlMillis);
                if (update.executeUpdate() > 0) {
                    return seen;
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + context.tables.node()
                    + " (host, started_at, last_seen, expires_at, workers, running, node_id) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                bindNode(insert, node, seen, ttlMillis);
                insert.executeUpdate();
            } catch (SQLException e) {
                if (context.dialect.isUniqueViolation(e)) {
                    throw new StoreContext.RetryTransaction("node " + node.nodeId() + " registered concurrently");
                }
                throw e;
            }
            return seen;
        });
        // Expired entries go in a transaction of their own: deleting them while holding our own row could wait in
        // a cycle with another node doing the same.
        context.inTransaction("removal of expired nodes", c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + context.tables.node()
                    + " WHERE expires_at < ?")) {
                delete.setLong(1, now);
                return delete.executeUpdate();
            }
        });
    }

    private static void bindNode(PreparedStatement statement, NodeInfo node, long now, long ttlMillis)
            throws SQLException {
        statement.setString(1, node.host());
        statement.setLong(2, node.startedAt().toEpochMilli());
        statement.setLong(3, now);
        statement.setLong(4, now + ttlMillis);
        statement.setInt(5, node.workers());
        statement.setInt(6, node.running());
        statement.setString(7, node.nodeId());
    }

    List<NodeInfo> nodes() {
        return context.inTransaction("list of nodes", c -> {
            List<NodeInfo> nodes = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT node_id, host, started_at, last_seen, workers, "
                    + "running FROM " + context.tables.node() + " WHERE expires_at >= " + context.nowExpression()
                    + " ORDER BY node_id")) {
                context.bindNow(select, 1);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        nodes.add(new NodeInfo(rows.getString(1), rows.getString(2),
                                Instant.ofEpochMilli(rows.getLong(3)), Instant.ofEpochMilli(rows.getLong(4)),
                                rows.getInt(5), rows.getInt(6)));
                    }
                }
            }
            nodes.sort(Comparator.comparing(NodeInfo::nodeId)); // Java's order, whatever the column's collation
            return List.copyOf(nodes);
        });
    }

    void removeNode(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        context.inTransaction("removal of node " + nodeId, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + context.tables.node()
                    + " WHERE node_id = ?")) {
                delete.setString(1, nodeId);
                return delete.executeUpdate();
            }
        });
    }
}
