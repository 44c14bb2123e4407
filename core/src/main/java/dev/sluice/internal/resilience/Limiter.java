package dev.sluice.internal.resilience;

/** A limit of starts per window, kept on this node ({@link StartLimiter}) or in the store ({@link SharedStartLimiter}). */
interface Limiter {

    /** Takes a permit of the current window; false when the window's permits are spent. */
    boolean tryAcquire(long nowNanos);

    /** Gives back a permit taken by {@link #tryAcquire} when the start did not happen after all. */
    void refund(long nowNanos);

    /** Permits left in the current window, as far as this node can tell. */
    int available(long nowNanos);

    /** Nanoseconds until the next window opens (at least 1). */
    long nanosToNextWindow(long nowNanos);

    String name();
}
