package dev.sluice.internal.observe;

import dev.sluice.observe.AdaptiveConcurrency;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One queue's adaptive concurrency limit (AIMD on latency, errors and heap, see {@link AdaptiveConcurrency}). Workers report
 * each attempt's start and end; the worker that ends an attempt after the window has passed adjusts the limit,
 * so there is no timer thread. Thread-safe.
 */
public final class ConcurrencyLimit {

    private final AdaptiveConcurrency config;
    private final int max;
    private final long windowNanos;
    private final AtomicInteger running = new AtomicInteger();
    private final LongAdder samples = new LongAdder();
    private final LongAdder sampleNanos = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final AtomicBoolean adjusting = new AtomicBoolean();
    private volatile int limit;
    private volatile int peakRunning;
    private volatile long windowStart;
    /** Lowest window average seen: the latency without load. Only the adjusting thread touches it. */
    private double noLoadNanos = Double.MAX_VALUE;

    public ConcurrencyLimit(AdaptiveConcurrency config, int max) {
        this.config = config;
        this.max = max;
        this.windowNanos = config.window().toNanos();
        this.limit = Math.max(Math.min(config.minLimit(), max), Math.min(config.initialLimit(), max));
        this.windowStart = System.nanoTime();
    }

    public int limit() {
        return limit;
    }

    public void started() {
        int now = running.incrementAndGet();
        if (now > peakRunning) {
            peakRunning = now; // a lost race only lowers the peak by one
        }
    }

    /**
     * @param ranNanos the attempt's run time, or a negative value when its handler did not run
     * @param failed   true when the handler threw or ran past its timeout
     */
    public void ended(long ranNanos, boolean failed) {
        running.decrementAndGet();
        if (ranNanos >= 0) {
            samples.increment();
            sampleNanos.add(ranNanos);
            if (failed) {
                failures.increment();
            }
        }
        long now = System.nanoTime();
        if (now - windowStart >= windowNanos && adjusting.compareAndSet(false, true)) {
            try {
                adjust(now);
            } finally {
                adjusting.set(false);
            }
        }
    }

    private void adjust(long now) {
        long n = samples.sum();
        if (n < config.minSamples()) {
            return; // keep gathering
        }
        long total = sampleNanos.sum();
        long failed = failures.sum();
        samples.add(-n);
        sampleNanos.add(-total);
        failures.add(-failed);
        double average = (double) total / n;
        double errorRate = (double) failed / n;
        // A window with many failures says little about the no-load latency (failures are often fast).
        if (errorRate <= config.maxErrorRate()) {
            noLoadNanos = Math.min(noLoadNanos, average);
        }
        int current = limit;
        if (average > noLoadNanos * config.latencyTolerance() || errorRate > config.maxErrorRate()
                || heapUsed() > config.maxHeapUsed()) {
            int lowered = (int) Math.floor(current * config.backoffRatio());
            limit = Math.max(Math.min(config.minLimit(), max), Math.min(current - 1, lowered));
        } else if (peakRunning >= current && current < max) {
            limit = current + 1;
        }
        peakRunning = running.get();
        windowStart = now;
    }

    private static double heapUsed() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        return max > 0 ? (double) heap.getUsed() / max : 0;
    }
}
