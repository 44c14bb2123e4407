package dev.sluice.benchmarks.sizer.samples;

import dev.sluice.JobContext;
import dev.sluice.JobHandler;

/**
 * A sample CPU-bound handler for the concurrency sizer: each job mixes a number {@value #ROUNDS} times (about
 * 0.1 to 0.3 ms of one core). More workers than cores only add switching: the sizer's knee should be at the
 * number of cores left to jobs.
 */
public final class CpuBoundHandler implements JobHandler<Object> {

    public static final int ROUNDS = 200_000;
    // Written so that the JIT cannot drop the loop as dead code.
    private volatile long sink;

    @Override
    public Object handle(Object payload, JobContext context) {
        long x = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            x = x * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E5L;
            x ^= x >>> 29;
        }
        sink = x;
        return null;
    }
}
