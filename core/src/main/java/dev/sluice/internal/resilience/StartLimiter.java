package dev.sluice.internal.resilience;

import dev.sluice.resilience.RateLimit;

/**
 * A node-local limit of starts per fixed window: windows of {@code period} follow each other from the
 * limiter's origin and each grants {@code starts} permits. A lock, not a CAS loop: the critical section is a
 * few arithmetic operations, taken once per start, and it keeps {@link #refund} exact.
 */
final class StartLimiter implements Limiter {

    private final int permits;
    private final long periodNanos;
    private final long originNanos;
    private final String name;
    private long window;
    private int used;

    StartLimiter(RateLimit limit, long originNanos, String name) {
        this.permits = limit.starts();
        this.periodNanos = limit.period().toNanos();
        this.originNanos = originNanos;
        this.name = name;
    }

    @Override
    public synchronized boolean tryAcquire(long nowNanos) {
        roll(nowNanos);
        if (used < permits) {
            used++;
            return true;
        }
        return false;
    }

    @Override
    public synchronized void refund(long nowNanos) {
        long w = windowOf(nowNanos);
        // A permit of a window that has ended is gone: giving it to the new window would pass the limit.
        if (w == window && used > 0) {
            used--;
        }
    }

    @Override
    public synchronized int available(long nowNanos) {
        roll(nowNanos);
        return permits - used;
    }

    @Override
    public long nanosToNextWindow(long nowNanos) {
        long next = originNanos + (windowOf(nowNanos) + 1) * periodNanos;
        return Math.max(1, next - nowNanos);
    }

    @Override
    public String name() {
        return name;
    }

    private void roll(long nowNanos) {
        long w = windowOf(nowNanos);
        if (w != window) {
            window = w;
            used = 0;
        }
    }

    private long windowOf(long nowNanos) {
        return Math.max(0, nowNanos - originNanos) / periodNanos;
    }
}
