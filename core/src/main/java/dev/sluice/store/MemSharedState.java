package dev.sluice.store;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster-shared caches of an {@link InMemoryJobStore}: second-level cached results and shared rate-limit
 * windows. Guarded by the store's lock.
 */
final class MemSharedState {

    /** Expired results are swept once this many saves happened since the last sweep: bounded work per save. */
    private static final int SWEEP_EVERY = 1024;

    private final Map<String, Entry> results = new HashMap<>();
    private final Map<String, long[]> windows = new HashMap<>();
    private int savesSinceSweep;

    private record Entry(byte[] bytes, long expiresAtMillis) {
    }

    Optional<ResultCacheStore.CachedResult> find(String type, String key, long now) {
        String id = type + '\u0000' + key;
        Entry entry = results.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.expiresAtMillis <= now) {
            results.remove(id);
            return Optional.empty();
        }
        return Optional.of(new ResultCacheStore.CachedResult(entry.bytes));
    }

    void save(String type, String key, byte[] bytes, long ttlMillis, long now) {
        results.put(type + '\u0000' + key, new Entry(bytes, now + ttlMillis));
        if (++savesSinceSweep >= SWEEP_EVERY) {
            savesSinceSweep = 0;
            for (Iterator<Entry> it = results.values().iterator(); it.hasNext(); ) {
                if (it.next().expiresAtMillis <= now) {
                    it.remove();
                }
            }
        }
    }

    SharedRateLimits.PermitGrant take(String name, int wanted, int limit, long periodMillis, long now) {
        long window = Math.floorDiv(now, periodMillis);
        long[] state = windows.computeIfAbsent(name, n -> new long[] {window, 0});
        if (state[0] != window) {
            state[0] = window;
            state[1] = 0;
        }
        int granted = (int) Math.max(0, Math.min(wanted, limit - state[1]));
        state[1] += granted;
        return new SharedRateLimits.PermitGrant(granted, Math.max(1, (window + 1) * periodMillis - now));
    }
}
