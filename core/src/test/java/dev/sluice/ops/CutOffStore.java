package dev.sluice.ops;

import dev.sluice.store.ForwardingJobStore;
import dev.sluice.store.JobStore;
import dev.sluice.store.LeaderLease;
import dev.sluice.store.NodeInfo;

import java.util.Optional;

/** One node's view of a shared store that can be cut off, as a network partition would: its calls then throw. */
final class CutOffStore extends ForwardingJobStore {

    private volatile boolean cutOff;

    CutOffStore(JobStore store) {
        super(store);
    }

    void cutOff() {
        cutOff = true;
    }

    private void check() {
        if (cutOff) {
            throw new IllegalStateException("store unreachable (cut off by the test)");
        }
    }

    @Override
    public Optional<LeaderLease> tryLead(String role, String nodeId, long leaseMillis) {
        check();
        return super.tryLead(role, nodeId, leaseMillis);
    }

    @Override
    public void resign(String role, String nodeId) {
        check();
        super.resign(role, nodeId);
    }

    @Override
    public void heartbeat(NodeInfo node, long ttlMillis) {
        check();
        super.heartbeat(node, ttlMillis);
    }
}
