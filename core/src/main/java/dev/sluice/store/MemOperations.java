package dev.sluice.store;

import dev.sluice.JobId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The cluster bookkeeping of an {@link InMemoryJobStore}: leader leases, the node registry, the latest fire of
 * each recurring schedule and the audit trail. Guarded by the store's lock; "now" is passed in by the store.
 */
final class MemOperations {

    private final Map<String, LeaderLease> leases = new HashMap<>();
    private final Map<String, Long> tokens = new HashMap<>();
    private final Map<String, NodeInfo> nodes = new HashMap<>();
    private final Map<String, Long> nodeExpiry = new HashMap<>();
    private final Map<String, Long> lastFires = new HashMap<>();
    private final Map<JobId, List<HistoryEntry>> history = new HashMap<>();

    Optional<LeaderLease> tryLead(String role, String nodeId, long leaseMillis, long now) {
        LeaderLease current = leases.get(role);
        boolean free = current == null || current.expiresAt().toEpochMilli() <= now;
        if (!free && !current.owner().equals(nodeId)) {
            return Optional.empty();
        }
        long token = !free ? current.fencingToken() : tokens.merge(role, 1L, Long::sum);
        LeaderLease lease = new LeaderLease(role, nodeId, token, Instant.ofEpochMilli(now + leaseMillis));
        leases.put(role, lease);
        return Optional.of(lease);
    }

    void resign(String role, String nodeId) {
        LeaderLease current = leases.get(role);
        if (current != null && current.owner().equals(nodeId)) {
            leases.remove(role);
        }
    }

    Optional<LeaderLease> leader(String role, long now) {
        LeaderLease current = leases.get(role);
        return current == null || current.expiresAt().toEpochMilli() <= now ? Optional.empty() : Optional.of(current);
    }

    void heartbeat(NodeInfo node, long ttlMillis, long now) {
        nodes.put(node.nodeId(), new NodeInfo(node.nodeId(), node.host(), node.startedAt(), Instant.ofEpochMilli(now),
                node.workers(), node.running()));
        nodeExpiry.put(node.nodeId(), now + ttlMillis);
    }

    List<NodeInfo> nodes(long now) {
        List<NodeInfo> live = new ArrayList<>();
        nodeExpiry.entrySet().removeIf(entry -> {
            boolean expired = entry.getValue() < now;
            if (expired) {
                nodes.remove(entry.getKey());
            }
            return expired;
        });
        live.addAll(nodes.values());
        live.sort(Comparator.comparing(NodeInfo::nodeId));
        return live;
    }

    void removeNode(String nodeId) {
        nodes.remove(nodeId);
        nodeExpiry.remove(nodeId);
    }

    /** True, and the fire recorded, when it is later than the schedule's latest. */
    boolean takeFire(String scheduleId, long fireTimeMillis) {
        Long last = lastFires.get(scheduleId);
        if (last != null && last >= fireTimeMillis) {
            return false;
        }
        lastFires.put(scheduleId, fireTimeMillis);
        return true;
    }

    OptionalLong lastFire(String scheduleId) {
        Long last = lastFires.get(scheduleId);
        return last == null ? OptionalLong.empty() : OptionalLong.of(last);
    }

    void appendHistory(List<HistoryEntry> entries) {
        for (HistoryEntry entry : entries) {
            Objects.requireNonNull(entry, "null history entry");
            history.computeIfAbsent(entry.id(), id -> new ArrayList<>(4)).add(entry);
        }
    }

    List<HistoryEntry> history(JobId id) {
        List<HistoryEntry> entries = history.get(id);
        return entries == null ? List.of() : List.copyOf(entries);
    }

    void forgetHistory(JobId id) {
        if (!history.isEmpty()) {
            history.remove(id);
        }
    }
}
