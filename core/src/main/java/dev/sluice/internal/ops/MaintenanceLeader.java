package dev.sluice.internal.ops;

import dev.sluice.store.JobStore;
import dev.sluice.store.LeaderLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * This node's view of the maintenance lease: {@link #tick()} (every third of the lease, from one thread) takes or
 * renews it through {@link JobStore#tryLead}. The node leads while it holds a lease whose local deadline — the
 * lease length counted from when the renewal was <i>sent</i>, on both the monotonic clock and the engine's clock
 * — has not passed. A failed renewal ends the leadership at once, so that a node cut off from the store stops its
 * maintenance work before another node can take over. Thread-safe: work threads ask {@link #leads()}.
 */
final class MaintenanceLeader {

    static final String ROLE = "maintenance";

    private static final Logger log = LoggerFactory.getLogger(MaintenanceLeader.class);

    private final JobStore store;
    private final String nodeId;
    private final long leaseMillis;
    private final Clock clock;
    private final boolean eligible;

    private volatile LeaderLease lease;
    private volatile long deadlineNanos;
    private volatile long deadlineMillis;
    /** Grows with every leadership this node gains: work of an older term stops. */
    private volatile long term;

    MaintenanceLeader(JobStore store, String nodeId, long leaseMillis, Clock clock, boolean eligible) {
        this.store = store;
        this.nodeId = nodeId;
        this.leaseMillis = leaseMillis;
        this.clock = clock;
        this.eligible = eligible;
    }

    /** True while this node holds the lease and its local deadline has not passed. */
    boolean leads() {
        return lease != null && System.nanoTime() - deadlineNanos < 0 && clock.millis() < deadlineMillis;
    }

    /** The term of the current leadership (changes when leadership is lost and gained again). */
    long term() {
        return term;
    }

    /** The lease this node holds, or null. */
    LeaderLease lease() {
        return leads() ? lease : null;
    }

    /** Takes or renews the lease. Never throws. */
    void tick() {
        if (!eligible) {
            return;
        }
        long sentNanos = System.nanoTime();
        long sentMillis = clock.millis();
        Optional<LeaderLease> granted;
        try {
            granted = store.tryLead(ROLE, nodeId, leaseMillis);
        } catch (RuntimeException e) {
            if (lease != null) {
                log.warn("node {} could not renew the maintenance lease; it stops leading now", nodeId, e);
                lease = null;
            } else {
                log.debug("node {} could not ask for the maintenance lease", nodeId, e);
            }
            return;
        }
        if (granted.isEmpty()) {
            if (lease != null) {
                log.warn("node {} lost the maintenance lease; it stops leading now", nodeId);
                lease = null;
            }
            return;
        }
        LeaderLease now = granted.get();
        boolean gained = !leads() || lease.fencingToken() != now.fencingToken();
        deadlineNanos = sentNanos + leaseMillis * 1_000_000L;
        deadlineMillis = sentMillis + leaseMillis;
        if (gained) {
            term++;
            log.info("node {} leads the cluster's maintenance (fencing token {})", nodeId, now.fencingToken());
        }
        lease = now;
    }

    /** Gives the lease up (a clean shutdown), so that another node takes over at once. Never throws. */
    void resign() {
        boolean held = lease != null;
        lease = null;
        if (held) {
            try {
                store.resign(ROLE, nodeId);
                log.info("node {} resigned the maintenance lease", nodeId);
            } catch (RuntimeException e) {
                log.warn("node {} could not resign the maintenance lease; it expires on its own", nodeId, e);
            }
        }
    }
}
