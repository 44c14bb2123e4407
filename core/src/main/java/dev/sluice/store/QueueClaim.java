package dev.sluice.store;

import java.util.Map;

/**
 * How many jobs of one queue a claim may take.
 *
 * @param queue            the queue
 * @param max              at most this many jobs of the queue
 * @param maxPerTenant     at most this many jobs of one tenant, counting {@code tenantInFlight}; jobs without a
 *                         tenant are not limited; {@code Integer.MAX_VALUE} for no limit
 * @param tenantInFlight   jobs per tenant that the claiming node already holds in this queue
 */
public record QueueClaim(String queue, int max, int maxPerTenant, Map<String, Integer> tenantInFlight) {
    public QueueClaim {
        if (max < 0 || maxPerTenant < 0) {
            throw new IllegalArgumentException("max and maxPerTenant must be >= 0 but were " + max + " and "
                    + maxPerTenant + " for queue '" + queue + "'");
        }
        tenantInFlight = tenantInFlight == null ? Map.of() : tenantInFlight;
    }
}
