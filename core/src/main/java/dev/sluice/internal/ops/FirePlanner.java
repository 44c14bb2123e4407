package dev.sluice.internal.ops;

import dev.sluice.ops.MisfirePolicy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Which fires of a schedule to store now: the due fires after the last stored one, cut by the misfire policy.
 * A pure function, so that the policy is tested without clocks or stores.
 */
final class FirePlanner {

    /**
     * The plan of one check.
     *
     * @param fires       fire times to store, oldest first
     * @param skippedUpTo the latest due fire that the policy skipped, or null when none was skipped
     */
    record Plan(List<Instant> fires, Instant skippedUpTo) {
        static final Plan NONE = new Plan(List.of(), null);
    }

    private FirePlanner() {
    }

    /**
     * @param after fires at or before this are done (stored, or skipped earlier)
     * @param now   the current time
     */
    static Plan plan(Schedule schedule, MisfirePolicy policy, Instant after, Instant now) {
        List<Instant> due = new ArrayList<>(Math.min(policy.limit(), 16));
        Optional<Instant> fire = schedule.latestAtOrBefore(now);
        // Walk back from now: only the most recent `limit` fires can be stored, so older ones are never listed.
        while (fire.isPresent() && fire.get().isAfter(after) && due.size() < policy.limit()) {
            due.add(fire.get());
            fire = schedule.latestBefore(fire.get());
        }
        if (due.isEmpty()) {
            return Plan.NONE;
        }
        Collections.reverse(due);
        Instant skippedUpTo = fire.isPresent() && fire.get().isAfter(after) ? fire.get() : null;
        if (policy.mode() == MisfirePolicy.Mode.SKIP && due.get(0).isBefore(now.minus(policy.grace()))) {
            return new Plan(List.of(), due.get(due.size() - 1));
        }
        return new Plan(List.copyOf(due), skippedUpTo);
    }
}
