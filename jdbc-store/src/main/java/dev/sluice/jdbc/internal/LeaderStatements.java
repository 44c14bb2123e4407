package dev.sluice.jdbc.internal;

import dev.sluice.store.LeaderLease;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Leader leases, one row per role: taken when free, expired or already held, with a fencing token that grows each
 * time the lease changes hands. Expiry is judged by the store's "now" (the database's clock unless a clock was
 * given), so nodes with skewed clocks still agree on who leads. Each call is one short transaction on one row.
 */
final class LeaderStatements {

    private final StoreContext context;

    LeaderStatements(StoreContext context) {
        this.context = context;
    }

    /** A role's row as locked: owner null after a resign. */
    private record Lease(String owner, long token, long expiresAt) {
    }

    Optional<LeaderLease> tryLead(String role, String nodeId, long leaseMillis) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(nodeId, "nodeId");
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("leaseMillis must be > 0 but was " + leaseMillis);
        }
        return context.inTransaction("leader lease of role '" + role + "' for node " + nodeId, c -> {
            long now = context.now(c);
            long expiresAt = now + leaseMillis;
            Lease held = lockLease(c, role);
            long token;
            if (held == null) {
                token = 1;
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + context.tables.leader()
                        + " (owner_node, fencing_token, expires_at, role_name) VALUES (?, ?, ?, ?)")) {
                    bindLease(insert, nodeId, token, expiresAt, role);
                    insert.executeUpdate();
                } catch (SQLException e) {
                    if (context.dialect.isUniqueViolation(e)) {
                        throw new StoreContext.RetryTransaction("role '" + role + "' taken concurrently");
                    }
                    throw e;
                }
            } else {
                if (nodeId.equals(held.owner())) {
                    token = held.token(); // a renewal, or a retake that nobody else held in between
                } else if (held.owner() == null || held.expiresAt() <= now) {
                    token = held.token() + 1;
                } else {
                    return Optional.<LeaderLease>empty();
                }
                try (PreparedStatement update = c.prepareStatement("UPDATE " + context.tables.leader()
                        + " SET owner_node = ?, fencing_token = ?, expires_at = ? WHERE role_name = ?")) {
                    bindLease(update, nodeId, token, expiresAt, role);
                    update.executeUpdate();
                }
            }
            return Optional.of(new LeaderLease(role, nodeId, token, Instant.ofEpochMilli(expiresAt)));
        });
    }

    private static void bindLease(PreparedStatement statement, String owner, long token, long expiresAt, String role)
            throws SQLException {
        statement.setString(1, owner);
        statement.setLong(2, token);
        statement.setLong(3, expiresAt);
        statement.setString(4, role);
    }

    private Lease lockLease(Connection connection, String role) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT owner_node, fencing_token, expires_at FROM "
                + context.tables.leader() + " WHERE role_name = ? FOR UPDATE")) {
            select.setString(1, role);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? new Lease(rows.getString(1), rows.getLong(2), rows.getLong(3)) : null;
            }
        }
    }

    void resign(String role, String nodeId) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(nodeId, "nodeId");
        // the row stays, so that the next holder's token still grows
        context.inTransaction("resign of role '" + role + "' by node " + nodeId, c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE " + context.tables.leader()
                    + " SET owner_node = NULL WHERE role_name = ? AND owner_node = ?")) {
                update.setString(1, role);
                update.setString(2, nodeId);
                return update.executeUpdate();
            }
        });
    }

    Optional<LeaderLease> leader(String role) {
        Objects.requireNonNull(role, "role");
        return context.inTransaction("leader of role '" + role + "'", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT owner_node, fencing_token, expires_at FROM "
                    + context.tables.leader() + " WHERE role_name = ? AND owner_node IS NOT NULL AND expires_at > "
                    + context.nowExpression())) {
                select.setString(1, role);
                context.bindNow(select, 2);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next()
                            ? Optional.of(new LeaderLease(role, rows.getString(1), rows.getLong(2),
                                    Instant.ofEpochMilli(rows.getLong(3))))
                            : Optional.<LeaderLease>empty();
                }
            }
        });
    }
}
