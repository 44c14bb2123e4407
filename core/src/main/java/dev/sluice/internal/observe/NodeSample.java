package dev.sluice.internal.observe;

import java.util.List;
import java.util.Set;

/**
 * This node's cumulative job totals and current worker state at one moment, as the observer samples them.
 *
 * @param nanoTime        {@link System#nanoTime()} when taken
 * @param submitted       jobs submitted since start
 * @param succeeded       attempts succeeded since start
 * @param failed          attempts failed and retried since start
 * @param dead            attempts that ended DEAD since start
 * @param attempts        attempts whose handler ran since start
 * @param attemptNanos    their summed run time
 * @param busyWorkers     workers running a job now
 * @param workers         workers there are
 * @param stuck           jobs running longer than the stuck limit, longest first (at most a few)
 * @param stuckCount      how many jobs run longer than the limit
 * @param unhandledTypes  job types claimed here for which this node has no handler (bounded)
 */
public record NodeSample(long nanoTime, long submitted, long succeeded, long failed, long dead, long attempts,
                         long attemptNanos, int busyWorkers, int workers, List<StuckJob> stuck, int stuckCount,
                         Set<String> unhandledTypes, Set<String> openBreakers) {

    /** A job running too long. */
    public record StuckJob(String id, String type, String queue, long runningMillis) {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable accumulator: fields are summed over the (type, queue) meters. */
    public static final class Builder {
        long submitted;
        long succeeded;
        long failed;
        long dead;
        long attempts;
        long attemptNanos;

        private Builder() {
        }

        public Builder add(JobMeters meters) {
            meters.addTo(this);
            return this;
        }

        public NodeSample build(long nanoTime, int busyWorkers, int workers, List<StuckJob> stuck, int stuckCount,
                                Set<String> unhandledTypes, Set<String> openBreakers) {
            return new NodeSample(nanoTime, submitted, succeeded, failed, dead, attempts, attemptNanos, busyWorkers,
                    workers, List.copyOf(stuck), stuckCount, Set.copyOf(unhandledTypes), Set.copyOf(openBreakers));
        }
    }
}
