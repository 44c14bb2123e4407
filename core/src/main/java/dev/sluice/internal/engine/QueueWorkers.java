package dev.sluice.internal.engine;

import dev.sluice.QueueConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One served queue on this node: the jobs claimed for it and not yet started, and the count of slots held
 * (claimed and not finished). Its workers are exactly {@code concurrency} threads, so no more than that many
 * of its jobs ever run at once here.
 */
final class QueueWorkers {

    final QueueConfig config;
    final String name;
    /** Claimed jobs waiting for one of this queue's workers. */
    final LinkedBlockingQueue<RunningJob> buffer = new LinkedBlockingQueue<>();
    /** Jobs claimed for this queue whose attempt has not finished. Only the dispatcher increments it. */
    final AtomicInteger inFlight = new AtomicInteger();
    /** Most jobs held at once: the queue's concurrency plus the engine's claim-ahead. */
    final int maxInFlight;
    /** Jobs held per tenant; null when the queue has no tenant limit (no tracking cost). */
    private final ConcurrentHashMap<String, AtomicInteger> tenants;

    QueueWorkers(QueueConfig config, int claimAhead) {
        this.config = config;
        this.name = config.name();
        this.maxInFlight = config.concurrency() + claimAhead;
        this.tenants = config.tenantShare() < 1.0 ? new ConcurrentHashMap<>() : null;
    }

    int freeSlots() {
        return maxInFlight - inFlight.get();
    }

    int maxPerTenant() {
        return tenants == null ? Integer.MAX_VALUE : config.maxPerTenant();
    }

    void acquired(String tenant) {
        inFlight.incrementAndGet();
        if (tenants != null && tenant != null) {
            tenants.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
        }
    }

    void released(String tenant) {
        inFlight.decrementAndGet();
        if (tenants != null && tenant != null) {
            AtomicInteger n = tenants.get(tenant);
            if (n != null) {
                n.decrementAndGet();
            }
        }
    }

    /** Jobs held per tenant right now, for a claim request. */
    Map<String, Integer> tenantInFlight() {
        if (tenants == null || tenants.isEmpty()) {
            return Map.of();
        }
        Map<String, Integer> snapshot = new HashMap<>();
        tenants.forEach((tenant, n) -> {
            int v = n.get();
            if (v > 0) {
                snapshot.put(tenant, v);
            }
        });
        return snapshot;
    }
}
