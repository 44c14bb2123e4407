package dev.sluice.observe;

import java.time.Instant;
import java.util.Objects;

/**
 * What the {@link ScalingAdvisor} decides from. Immutable.
 *
 * @param readyJobs      jobs READY to run now (all served queues)
 * @param arrivalRate    jobs submitted per second, over the rate window
 * @param completionRate attempts ended per second, over the rate window
 * @param busyWorkers    workers running a job now
 * @param currentWorkers workers there are now
 * @param heapUsed       share (0..1) of the maximum heap in use
 * @param errorRate      share (0..1) of attempts that failed, over the rate window
 * @param at             when the numbers were taken
 */
public record ScalingInput(long readyJobs, double arrivalRate, double completionRate, int busyWorkers,
                           int currentWorkers, double heapUsed, double errorRate, Instant at) {
    public ScalingInput {
        Objects.requireNonNull(at, "at");
        if (readyJobs < 0 || busyWorkers < 0 || currentWorkers < 0) {
            throw new IllegalArgumentException("counts must not be negative: readyJobs=" + readyJobs
                    + ", busyWorkers=" + busyWorkers + ", currentWorkers=" + currentWorkers);
        }
    }
}
