package dev.sluice.internal.resilience;

import dev.sluice.resilience.RateLimit;
import dev.sluice.store.SharedRateLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * A limit of starts counted for the whole cluster in the store ({@link SharedRateLimits}). Permits are taken
 * from the store in chunks and spent locally until the chunk or its window runs out, so most starts cost no
 * round trip. Permits left when their window ends are lost, never carried over: the cluster may start a little
 * less than the limit, never more. A store that fails grants nothing until the next try (fail closed: a limit
 * usually protects someone else's service).
 */
final class SharedStartLimiter implements Limiter {

    private static final Logger log = LoggerFactory.getLogger(SharedStartLimiter.class);
    /** How long to wait before asking a failing store again. */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final SharedRateLimits store;
    private final String key;
    private final String name;
    private final int limit;
    private final long periodMillis;
    private final int chunk;

    private int local;
    /** When the window of the local permits ends, on this node's nano clock. */
    private long validUntilNanos;
    private boolean windowSpent;
    private boolean warned;

    SharedStartLimiter(SharedRateLimits store, String key, RateLimit limit, String name) {
        this.store = store;
        this.key = key;
        this.name = name + " (across the cluster)";
        this.limit = limit.starts();
        this.periodMillis = limit.period().toMillis();
        this.chunk = Math.max(1, Math.min(50, limit.starts() / 10));
    }

    @Override
    public synchronized boolean tryAcquire(long nowNanos) {
        refillIfNeeded(nowNanos);
        if (local > 0) {
            local--;
            return true;
        }
        return false;
    }

    @Override
    public synchronized void refund(long nowNanos) {
        if (nowNanos < validUntilNanos) {
            local++;
        }
    }

    @Override
    public synchronized int available(long nowNanos) {
        refillIfNeeded(nowNanos);
        return local;
    }

    @Override
    public synchronized long nanosToNextWindow(long nowNanos) {
        return Math.max(1, validUntilNanos - nowNanos);
    }

    @Override
    public String name() {
        return name;
    }

    private void refillIfNeeded(long nowNanos) {
        boolean windowOver = nowNanos >= validUntilNanos;
        if (!windowOver && (local > 0 || windowSpent)) {
            return;
        }
        local = 0;
        try {
            SharedRateLimits.PermitGrant grant = store.takePermits(key, chunk, limit, periodMillis);
            local = grant.granted();
            windowSpent = grant.granted() < chunk;
            validUntilNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(grant.millisLeftInWindow());
            warned = false;
        } catch (RuntimeException e) {
            windowSpent = true;
            validUntilNanos = nowNanos + RETRY_NANOS;
            if (!warned) {
                warned = true;
                log.warn("cannot take permits of the shared rate limit of {} from the store; no starts until it"
                        + " answers", name, e);
            }
        }
    }
}
