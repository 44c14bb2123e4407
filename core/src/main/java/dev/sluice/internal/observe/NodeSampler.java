package dev.sluice.internal.observe;

/** Takes a {@link NodeSample} of the engine; implemented by the engine's metrics. */
@FunctionalInterface
public interface NodeSampler {

    /**
     * @param stuckAfterNanos a job running longer than this counts as stuck
     * @param recentNanos     job types without a handler count when claimed within this long
     */
    NodeSample sample(long stuckAfterNanos, long recentNanos);
}
