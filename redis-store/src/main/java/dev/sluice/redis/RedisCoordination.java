package dev.sluice.redis;

import dev.sluice.store.LeaderLease;
import dev.sluice.store.NodeInfo;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Leader leases (lease.lua, leader.lua) and the node registry (node.lua, nodes.lua) of {@link RedisJobStore}, all
 * judged on the store's clock: Redis's TIME unless the store was built with a clock.
 */
final class RedisCoordination {

    private final ScriptRunner scripts;
    private final Clock clock;

    RedisCoordination(ScriptRunner scripts, Clock clock) {
        this.scripts = scripts;
        this.clock = clock;
    }

    Optional<LeaderLease> tryLead(String role, String nodeId, long leaseMillis) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(nodeId, "nodeId");
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("leaseMillis must be > 0 but was " + leaseMillis + " (role '" + role
                    + "', node '" + nodeId + "')");
        }
        return lease(role, scripts.runList(Script.LEASE,
                new Args(5).add("take").now(clock).add(role).add(nodeId).add(leaseMillis).toArray()));
    }

    void resign(String role, String nodeId) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(nodeId, "nodeId");
        scripts.run(Script.LEASE, new Args(5).add("resign").now(clock).add(role).add(nodeId).add(0).toArray());
    }

    Optional<LeaderLease> leader(String role) {
        Objects.requireNonNull(role, "role");
        return lease(role, scripts.runList(Script.LEADER, new Args(2).now(clock).add(role).toArray()));
    }

    private static Optional<LeaderLease> lease(String role, List<Object> reply) {
        if (reply.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LeaderLease(role, Replies.toText(reply.get(0)), Replies.toLong(reply.get(1)),
                Instant.ofEpochMilli(Replies.toLong(reply.get(2)))));
    }

    void heartbeat(NodeInfo node, long ttlMillis) {
        Objects.requireNonNull(node, "node");
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException("ttlMillis must be > 0 but was " + ttlMillis + " (node '"
                    + node.nodeId() + "')");
        }
        String description = PackedText.pack(node.nodeId(), node.host(), node.startedAt().toEpochMilli(),
                node.workers(), node.running());
        scripts.run(Script.NODE, new Args(5).add("beat").now(clock).add(node.nodeId()).add(ttlMillis)
                .add(description).toArray());
    }

    /** The live nodes by node id; each entry is "<lastSeen> <description>" (see node.lua). */
    List<NodeInfo> nodes() {
        List<Object> reply = scripts.runList(Script.NODES, new Args(1).now(clock).toArray());
        List<NodeInfo> nodes = new ArrayList<>(reply.size());
        for (Object entry : reply) {
            if (entry == null) {
                continue; // node.lua writes the hash and the expiry set together; skip a stray entry, never fail
            }
            String text = Replies.toText(entry);
            int space = text.indexOf(' ');
            long lastSeen = Long.parseLong(text.substring(0, space));
            List<String> fields = PackedText.unpack(text.substring(space + 1));
            nodes.add(new NodeInfo(fields.get(0), fields.get(1), Instant.ofEpochMilli(Long.parseLong(fields.get(2))),
                    Instant.ofEpochMilli(lastSeen), Integer.parseInt(fields.get(3)), Integer.parseInt(fields.get(4))));
        }
        nodes.sort(Comparator.comparing(NodeInfo::nodeId));
        return List.copyOf(nodes);
    }

    void removeNode(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        scripts.run(Script.NODE, new Args(5).add("remove").add("").add(nodeId).add(0).add("").toArray());
    }
}
