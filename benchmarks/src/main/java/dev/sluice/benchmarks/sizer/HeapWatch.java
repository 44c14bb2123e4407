package dev.sluice.benchmarks.sizer;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples heap use every {@value #SAMPLE_MILLIS} ms on a daemon thread and keeps the largest, and reads the live
 * heap (after a full collection) on request.
 */
final class HeapWatch implements AutoCloseable {

    static final int SAMPLE_MILLIS = 10;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    HeapWatch() {
        sampler = new Thread(() -> {
            while (running) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "sizer-heap-watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Forgets the peak seen so far. */
    void resetPeak() {
        peak.set(memory.getHeapMemoryUsage().getUsed());
    }

    /** The largest heap use sampled since the last reset (garbage included). */
    long peakBytes() {
        return peak.get();
    }

    /** Heap in use right after a full collection (with -XX:+DisableExplicitGC it is not: then garbage counts). */
    long liveBytes() {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join();
    }
}
