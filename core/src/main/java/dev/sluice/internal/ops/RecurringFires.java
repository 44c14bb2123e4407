package dev.sluice.internal.ops;

import dev.sluice.JobRequest;
import dev.sluice.UniqueScope;
import dev.sluice.internal.engine.JobEngine;
import dev.sluice.ops.RecurringJob;
import dev.sluice.store.EnqueueResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Stores the due fires of the recurring jobs while this node leads: one {@link #check()} per check interval, from
 * one thread. The latest fire of each schedule is read from the store once per leadership term and then followed
 * locally; a stale local value is harmless, since the store refuses a fire that is not later than its latest.
 */
final class RecurringFires {

    private static final Logger log = LoggerFactory.getLogger(RecurringFires.class);

    private final JobEngine engine;
    private final List<RecurringJob> jobs;
    private final MaintenanceLeader leader;
    private final Instant startedAt;
    /** Per schedule: fires at or before this are stored or skipped, as far as this term knows. */
    private final Map<String, Instant> doneUpTo = new HashMap<>();
    private long term = -1;

    RecurringFires(JobEngine engine, List<RecurringJob> jobs, MaintenanceLeader leader, Instant startedAt) {
        this.engine = engine;
        this.jobs = List.copyOf(jobs);
        this.leader = leader;
        this.startedAt = startedAt;
    }

    /** Stores what is due. Never throws: a failed store call is logged and the next check tries again. */
    void check() {
        if (jobs.isEmpty() || !leader.leads()) {
            return;
        }
        if (term != leader.term()) {
            term = leader.term();
            doneUpTo.clear();
        }
        for (RecurringJob job : jobs) {
            try {
                check(job);
            } catch (RuntimeException e) {
                log.warn("recurring job '{}' could not store its due fire; the next check tries again", job.id(), e);
            }
        }
    }

    private void check(RecurringJob job) {
        Instant after = doneUpTo.get(job.id());
        if (after == null) {
            OptionalLong last = engine.timedStore().lastFire(job.id());
            // A schedule that never fired counts its fires from this engine's start (a fire at that very
            // millisecond included).
            after = last.isPresent() ? Instant.ofEpochMilli(last.getAsLong()) : startedAt.minusMillis(1);
            doneUpTo.put(job.id(), after);
        }
        Instant now = engine.clock().instant();
        FirePlanner.Plan plan = FirePlanner.plan(job.schedule(), job.misfire(), after, now);
        if (plan.skippedUpTo() != null) {
            log.warn("recurring job '{}' ({}) skipped its fires up to {} by its misfire policy {}", job.id(),
                    job.describe(), plan.skippedUpTo(), job.misfire());
            doneUpTo.put(job.id(), plan.skippedUpTo());
        }
        for (Instant fire : plan.fires()) {
            if (!leader.leads()) {
                return; // lost the lease: stop at once, the next leader picks up from the store's latest fire
            }
            Optional<EnqueueResult> stored = engine.submitFire(job.id(), fire.toEpochMilli(), requestFor(job, fire));
            doneUpTo.put(job.id(), fire);
            if (stored.isPresent() && stored.get().duplicate()) {
                log.info("recurring job '{}': fire {} skipped, the previous fire's job {} has not finished",
                        job.id(), fire, stored.get().id());
            } else if (stored.isPresent()) {
                log.debug("recurring job '{}': fire {} stored as job {}", job.id(), fire, stored.get().id());
            }
        }
    }

    /** The fire's request: the registered one, due at the fire time (plus its delay), with the fire's unique key. */
    static JobRequest requestFor(RecurringJob job, Instant fire) {
        JobRequest r = job.request();
        JobRequest.Builder b = JobRequest.builder(r.type())
                .payload(r.payload())
                .queue(r.queue())
                .priority(r.priority())
                .runAt(r.delay() == null ? fire : fire.plus(r.delay()))
                .timeout(r.timeout())
                .tenant(r.tenant());
        if (r.maxAttempts() > 0) {
            b.maxAttempts(r.maxAttempts());
        }
        if (job.noOverlap()) {
            // Held until the fire's job finishes: no fire while the previous one waits, runs or retries.
            b.uniqueKey(job.fireUniqueKey(), UniqueScope.UNTIL_FINISHED);
        } else if (r.uniqueKey() != null) {
            // failIfDuplicate is left out: a fire that finds its key held is used up, never an error.
            b.uniqueKey(r.uniqueKey(), r.uniqueScope()).uniqueFor(r.uniqueFor());
        }
        return b.build();
    }
}
