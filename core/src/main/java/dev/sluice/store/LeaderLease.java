package dev.sluice.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The lease that makes one node the leader of a role (for example the cluster's maintenance).
 *
 * @param role         what the lease is for
 * @param owner        the node holding it (a node id unique to the process)
 * @param fencingToken grows each time the lease changes hands; the same while the owner renews it
 * @param expiresAt    when it lapses unless renewed, on the store's clock
 */
public record LeaderLease(String role, String owner, long fencingToken, Instant expiresAt) {

    public LeaderLease {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
