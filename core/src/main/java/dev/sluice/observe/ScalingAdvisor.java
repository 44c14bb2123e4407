package dev.sluice.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Recommends how many workers to run, from queue depth, rates, busy workers, heap and error rate. The engine
 * runs one on its observer thread and publishes the result as the gauge {@code sluice.scaling.desired.workers},
 * so that an autoscaler (a Kubernetes HPA on an external metric, for example) can act on it; it can also be
 * used on its own. Thread-safe.
 *
 * <p>The rules, in order, with {@code w} the current workers and {@code t} the target depth per worker:
 * <ol>
 *   <li>error rate above {@code maxErrorRate}: HOLD (more workers would hammer a failing dependency);</li>
 *   <li>READY jobs above {@code w × t × scaleUpFactor}: UP to {@code ceil(ready / t)}, at least {@code w + 1},
 *       unless heap use is above {@code maxMemoryUsed} (then HOLD);</li>
 *   <li>READY jobs below {@code w × t × scaleDownFactor}, not falling behind (arrivals ≤ completions) and some
 *       workers idle: DOWN to {@code max(ceil(ready / t), busy)};</li>
 *   <li>otherwise HOLD.</li>
 * </ol>
 * The result is kept within {@code [minWorkers, maxWorkers]}. After an UP or DOWN, the advice stays the same
 * (reported as HOLD with the earlier target) until {@code cooldown} has passed.
 */
public final class ScalingAdvisor {

    private final ScalingConfig config;
    private Instant lastChange;
    private int lastDesired = -1;

    private ScalingAdvisor(ScalingConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public static ScalingAdvisor of(ScalingConfig config) {
        return new ScalingAdvisor(config);
    }

    public ScalingConfig config() {
        return config;
    }

    public synchronized ScalingAdvice advise(ScalingInput in) {
        Objects.requireNonNull(in, "input");
        int current = in.currentWorkers();
        if (lastChange != null && Duration.between(lastChange, in.at()).compareTo(config.cooldown()) < 0) {
            long left = config.cooldown().minus(Duration.between(lastChange, in.at())).toSeconds();
            return new ScalingAdvice(ScalingAdvice.Direction.HOLD, lastDesired, current,
                    "Cooling down after the last change to " + lastDesired + " workers (" + left + " s left).",
                    in.at());
        }
        int t = config.targetQueueDepth();
        long ready = in.readyJobs();
        int desired;
        String reason;
        if (in.errorRate() > config.maxErrorRate()) {
            desired = current;
            reason = String.format(Locale.ROOT, "Error rate %.1f%% is above %.1f%%: more workers would add load to"
                    + " a failing dependency. Holding at %d workers; fix the failures first.",
                    in.errorRate() * 100, config.maxErrorRate() * 100, current);
        } else if (ready > current * (double) t * config.scaleUpFactor()) {
            if (in.heapUsed() > config.maxMemoryUsed()) {
                desired = current;
                reason = String.format(Locale.ROOT, "%d jobs are waiting but heap use %.0f%% is above %.0f%%:"
                        + " holding at %d workers. Add nodes or memory rather than workers.",
                        ready, in.heapUsed() * 100, config.maxMemoryUsed() * 100, current);
            } else {
                desired = (int) Math.min(Integer.MAX_VALUE, Math.max(current + 1L, ceilDiv(ready, t)));
                reason = String.format(Locale.ROOT, "%d jobs are waiting for %d workers (%.0f each, target %d):"
                        + " scale up.", ready, current, current == 0 ? (double) ready : (double) ready / current, t);
            }
        } else if (ready < current * (double) t * config.scaleDownFactor()
                && in.arrivalRate() <= in.completionRate() && in.busyWorkers() < current) {
            desired = (int) Math.max(ceilDiv(ready, t), in.busyWorkers());
            reason = String.format(Locale.ROOT, "Only %d jobs are waiting and %d of %d workers are busy: scale down.",
                    ready, in.busyWorkers(), current);
        } else {
            desired = current;
            reason = String.format(Locale.ROOT, "%d jobs waiting for %d workers is within the target of %d per"
                    + " worker.", ready, current, t);
        }
        int clamped = Math.max(config.minWorkers(), Math.min(config.maxWorkers(), desired));
        if (clamped != desired) {
            reason += " Kept within " + config.minWorkers() + ".." + config.maxWorkers() + " workers.";
        }
        ScalingAdvice.Direction direction = clamped > current ? ScalingAdvice.Direction.UP
                : clamped < current ? ScalingAdvice.Direction.DOWN : ScalingAdvice.Direction.HOLD;
        if (direction != ScalingAdvice.Direction.HOLD) {
            lastChange = in.at();
        }
        lastDesired = clamped;
        return new ScalingAdvice(direction, clamped, current, reason, in.at());
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
