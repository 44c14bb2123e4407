package dev.sluice.store;

/**
 * An optional store capability: rate limits counted once for the whole cluster. A store that implements it next
 * to {@link JobStore} lets engines enforce {@code RateLimit}s marked {@code shared()} across every node on the
 * store, instead of per node.
 *
 * <p><b>Contract.</b> Windows of {@code periodMillis} follow each other from the epoch on the store's clock. In
 * each window, the permits granted for a name never add up to more than {@code limit}, whichever nodes asked,
 * however concurrently. Thread-safe and shared like the store.
 */
public interface SharedRateLimits {

    /**
     * Takes up to {@code wanted} (>= 1) of the permits left in the current window of limit {@code name}.
     *
     * @return how many were granted (0 when the window is spent) and how long the window still lasts
     */
    PermitGrant takePermits(String name, int wanted, int limit, long periodMillis);

    /**
     * Permits taken from a shared limit.
     *
     * @param granted            permits granted, 0..wanted
     * @param millisLeftInWindow time until the window ends on the store's clock (at least 1)
     */
    record PermitGrant(int granted, long millisLeftInWindow) {
    }
}
