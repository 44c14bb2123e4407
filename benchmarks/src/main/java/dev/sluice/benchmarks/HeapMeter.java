package dev.sluice.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

/** Heap readings for the memory programs ({@link QueuedJobMemory}, {@link WaitingJobMemory}). */
final class HeapMeter {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapMeter() {
    }

    /**
     * Heap used after full collections, once two readings in a row agree within 64 KB (at most 20 tries):
     * System.gc() is a request, and a single call may leave reference-processing garbage behind.
     */
    static long settledHeapUsed() {
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long used = MEMORY.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - previous) < 64 * 1024) {
                return used;
            }
            previous = used;
        }
        return previous;
    }

    static void printJvm() {
        List<String> collectors = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collectors.add(gc.getName());
        }
        System.out.printf("JVM %s, max heap %,d MB, collectors %s, input arguments %s%n",
                Runtime.version(), Runtime.getRuntime().maxMemory() >> 20, collectors,
                ManagementFactory.getRuntimeMXBean().getInputArguments());
    }
}
