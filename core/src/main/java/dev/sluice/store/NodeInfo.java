package dev.sluice.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One engine of the cluster as it last reported itself through {@link JobStore#heartbeat}.
 *
 * @param nodeId    the node id, unique to the process
 * @param host      host name, for people (never used to identify the node)
 * @param startedAt when the engine started
 * @param lastSeen  its latest heartbeat, on the store's clock (set by the store; ignored on input)
 * @param workers   worker slots of the node
 * @param running   jobs running on it at the heartbeat
 */
public record NodeInfo(String nodeId, String host, Instant startedAt, Instant lastSeen, int workers, int running) {

    public NodeInfo {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
