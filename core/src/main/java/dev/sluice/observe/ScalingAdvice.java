package dev.sluice.observe;

import java.time.Instant;
import java.util.Objects;

/**
 * What the {@link ScalingAdvisor} recommends. Immutable.
 *
 * @param direction      UP, DOWN or HOLD compared with {@code currentWorkers}
 * @param desiredWorkers workers to run, within the configured min and max
 * @param currentWorkers workers there were
 * @param reason         why, in plain words with the numbers
 * @param at             when it was decided
 */
public record ScalingAdvice(Direction direction, int desiredWorkers, int currentWorkers, String reason, Instant at) {

    /** The way the advice points. */
    public enum Direction { UP, DOWN, HOLD }

    public ScalingAdvice {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }

    /** Nodes needed for {@link #desiredWorkers()} when each node runs {@code workersPerNode}. */
    public int desiredNodes(int workersPerNode) {
        if (workersPerNode < 1) {
            throw new IllegalArgumentException("workersPerNode must be >= 1 but was " + workersPerNode);
        }
        return (desiredWorkers + workersPerNode - 1) / workersPerNode;
    }
}
