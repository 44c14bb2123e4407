package dev.sluice.ops;

import dev.sluice.JobRequest;
import dev.sluice.internal.ops.CronSchedule;
import dev.sluice.internal.ops.IntervalSchedule;
import dev.sluice.internal.ops.Schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A job submitted on a schedule — a cron expression in a time zone, or a fixed interval — registered with
 * {@code Sluice.builder().recurring(...)}. Immutable and thread-safe.
 *
 * <pre>{@code
 * Sluice.builder()
 *         .recurring(RecurringJob.cron("nightly-report", "0 2 * * *", ZoneId.of("Europe/Paris"),
 *                 JobRequest.of("build-report", "daily")))
 *         .recurring(RecurringJob.builder("sync-rates", JobRequest.of("sync-rates", null))
 *                 .every(Duration.ofMinutes(5))
 *                 .misfire(MisfirePolicy.catchUp(3))
 *                 .noOverlap(true)
 *                 .build())
 * }</pre>
 *
 * <p><b>Exactly one job per fire.</b> Only the node that leads the cluster's maintenance stores fires, each
 * through {@code JobStore.enqueueFire(id, fireTime, job)}, which takes a fire time once: neither two nodes nor a
 * catch-up store the same fire twice. Each fire is a normal job (retries, timeouts, at-least-once delivery) whose
 * run-at is the fire time. Every node should register the same recurring jobs; the leader's list is the one that
 * fires. A schedule that has never fired counts its fires from the moment the leading engine started.
 *
 * <p><b>Cron.</b> Five fields (minute hour day-of-month month day-of-week, Unix syntax) or six with seconds first,
 * parsed by cron-utils. A local time that does not exist on the day the clocks go forward (02:30 in
 * Europe/Paris on the last Sunday of March) does not fire that day; choose a time outside the change, or UTC.
 *
 * <p><b>Interval.</b> Fires at {@code anchor + k × interval} (default anchor 1970-01-01T00:00Z, so
 * {@code every(1 hour)} fires on the hour UTC), at least one second apart.
 *
 * <p><b>No overlap.</b> With {@code noOverlap(true)} all fires share the unique key {@code recurring:<id>}: a fire
 * due while the previous fire's job has not finished (waiting, running or retrying) is not stored — it is used up
 * and skipped, and the next fire tries again.
 */
public final class RecurringJob {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final String id;
    private final Schedule schedule;
    private final JobRequest request;
    private final MisfirePolicy misfire;
    private final boolean noOverlap;

    private RecurringJob(Builder b) {
        this.id = b.id;
        this.schedule = b.schedule;
        this.request = b.request;
        this.misfire = b.misfire;
        this.noOverlap = b.noOverlap;
    }

    /** A cron schedule with the defaults (SKIP misfires, overlap allowed). */
    public static RecurringJob cron(String id, String expression, ZoneId zone, JobRequest request) {
        return builder(id, request).cron(expression, zone).build();
    }

    /** A fixed interval with the defaults (SKIP misfires, overlap allowed). */
    public static RecurringJob every(String id, Duration interval, JobRequest request) {
        return builder(id, request).every(interval).build();
    }

    /**
     * @param id      names the schedule cluster-wide, {@code [A-Za-z0-9._:-]{1,128}}
     * @param request what each fire submits; its {@code delay}, if any, is added to the fire time
     */
    public static Builder builder(String id, JobRequest request) {
        return new Builder(id, request);
    }

    public String id() {
        return id;
    }

    public JobRequest request() {
        return request;
    }

    public MisfirePolicy misfire() {
        return misfire;
    }

    public boolean noOverlap() {
        return noOverlap;
    }

    /** The unique key every fire carries: {@code recurring:<id>} with no overlap, else the request's own, or null. */
    public String fireUniqueKey() {
        return noOverlap ? "recurring:" + id : request.uniqueKey();
    }

    /** The first fire strictly after {@code time}, or empty when it never fires again. */
    public Optional<Instant> nextFireAfter(Instant time) {
        return schedule.nextAfter(Objects.requireNonNull(time, "time"));
    }

    /** The schedule in words ("cron '0 2 * * *' in Europe/Paris", "every PT5M from 1970-01-01T00:00:00Z"). */
    public String describe() {
        return schedule.describe();
    }

    /** For the engine. */
    public Schedule schedule() {
        return schedule;
    }

    @Override
    public String toString() {
        return "RecurringJob{id='" + id + "', " + schedule.describe() + ", type='" + request.type() + "', misfire="
                + misfire + (noOverlap ? ", noOverlap" : "") + '}';
    }

    /** Builds a {@link RecurringJob}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private final JobRequest request;
        private String cron;
        private ZoneId zone;
        private Duration interval;
        private Instant anchor = Instant.EPOCH;
        private MisfirePolicy misfire = MisfirePolicy.skip();
        private boolean noOverlap;
        private Schedule schedule;

        private Builder(String id, JobRequest request) {
            this.id = id;
            this.request = request;
        }

        /** Fires on a cron expression evaluated in {@code zone}. Exclusive with {@link #every}. */
        public Builder cron(String expression, ZoneId zone) {
            this.cron = Objects.requireNonNull(expression, "cron expression of recurring job '" + id + "'");
            this.zone = Objects.requireNonNull(zone, "zone of recurring job '" + id + "'");
            return this;
        }

        /** Fires every {@code interval} (at least 1 s). Exclusive with {@link #cron}. */
        public Builder every(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval of recurring job '" + id + "'");
            return this;
        }

        /** Where an interval's fires are counted from. Default 1970-01-01T00:00Z. */
        public Builder anchor(Instant anchor) {
            this.anchor = Objects.requireNonNull(anchor, "anchor of recurring job '" + id + "'");
            return this;
        }

        /** What to do with fires missed while no node could store them. Default {@link MisfirePolicy#skip()}. */
        public Builder misfire(MisfirePolicy misfire) {
            this.misfire = Objects.requireNonNull(misfire, "misfire policy of recurring job '" + id + "'");
            return this;
        }

        /** When true, no fire is stored while the previous fire's job is unfinished. Default false. */
        public Builder noOverlap(boolean noOverlap) {
            this.noOverlap = noOverlap;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad value */
        public RecurringJob build() {
            if (id == null || !ID.matcher(id).matches()) {
                throw new IllegalArgumentException("recurring job id must match [A-Za-z0-9._:-]{1,128} but was "
                        + (id == null ? "null" : "'" + id + "'"));
            }
            Objects.requireNonNull(request, "request of recurring job '" + id + "'");
            if (request.runAt() != null) {
                throw new IllegalArgumentException("the request of recurring job '" + id + "' has runAt "
                        + request.runAt() + "; each fire sets its own run-at (use delay to run after the fire time)");
            }
            if (noOverlap && request.uniqueKey() != null) {
                throw new IllegalArgumentException("recurring job '" + id + "' has noOverlap, which sets the unique"
                        + " key of every fire, but its request has uniqueKey '" + request.uniqueKey() + "'");
            }
            if ((cron == null) == (interval == null)) {
                throw new IllegalArgumentException("recurring job '" + id + "' needs exactly one of cron(...) or"
                        + " every(...) but had " + (cron == null ? "neither" : "both"));
            }
            if (cron != null) {
                try {
                    schedule = CronSchedule.parse(cron, zone);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("recurring job '" + id + "': " + e.getMessage(), e);
                }
            } else {
                if (interval.toMillis() < 1000) {
                    throw new IllegalArgumentException("interval of recurring job '" + id
                            + "' must be at least 1 second but was " + interval);
                }
                schedule = new IntervalSchedule(interval, anchor);
            }
            return new RecurringJob(this);
        }
    }
}
