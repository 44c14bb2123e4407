package dev.sluice.store;

import java.util.List;
import java.util.Objects;

/**
 * A node's request for ready jobs.
 *
 * @param nodeId        the claiming node (process-unique), recorded as lease owner
 * @param leaseMillis   lease length; the lease expires this long after the claim unless renewed
 * @param maxTotal      at most this many jobs in all
 * @param queues        the queues to take from, each with its own bounds
 */
public record ClaimRequest(String nodeId, long leaseMillis, int maxTotal, List<QueueClaim> queues) {
    public ClaimRequest {
        Objects.requireNonNull(nodeId, "nodeId");
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("leaseMillis must be > 0 but was " + leaseMillis);
        }
        if (maxTotal < 0) {
            throw new IllegalArgumentException("maxTotal must be >= 0 but was " + maxTotal);
        }
        queues = List.copyOf(queues);
    }
}
