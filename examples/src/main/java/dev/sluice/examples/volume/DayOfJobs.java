package dev.sluice.examples.volume;

import dev.sluice.JobRequest;
import dev.sluice.Priority;
import dev.sluice.Sluice;
import dev.sluice.examples.support.Dice;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A day of jobs in compressed time: 24 "hours" of {@code hourMillis} each, with a business-day curve (quiet
 * nights, a morning and an afternoon peak), each hour's jobs submitted in ten slices spread over the hour. Which
 * priority and tenant a job has follows from its number, so every run submits the same day. Runs on the
 * caller's thread; {@link #submitted()} may be read from others.
 */
final class DayOfJobs {

    /** Relative load of each hour, midnight first. */
    private static final int[] HOURLY_LOAD =
            {1, 1, 1, 1, 1, 2, 3, 6, 9, 10, 10, 8, 7, 8, 10, 10, 9, 7, 5, 4, 3, 2, 2, 1};
    static final String[] TENANTS = {"acme", "globex", "initech", "umbrella"};
    private static final int SLICES_PER_HOUR = 10;
    private static final int CHUNK = 1_000;

    private final int jobs;
    private final long hourMillis;
    private final String type;
    private final AtomicLong submitted = new AtomicLong();
    private volatile int hour;

    DayOfJobs(int jobs, long hourMillis, String type) {
        this.jobs = jobs;
        this.hourMillis = hourMillis;
        this.type = type;
    }

    /** Priority mix: 2% CRITICAL, 10% HIGH, 58% NORMAL, 30% LOW. */
    static Priority priorityOf(long job) {
        int p = (int) Long.remainderUnsigned(Dice.mix(job), 100);
        return p < 2 ? Priority.CRITICAL : p < 12 ? Priority.HIGH : p < 70 ? Priority.NORMAL : Priority.LOW;
    }

    /** Tenant mix: acme 50%, globex 25%, initech 15%, umbrella 10%. */
    static String tenantOf(long job) {
        int t = (int) Long.remainderUnsigned(Dice.mix(job) >>> 16, 100);
        return TENANTS[t < 50 ? 0 : t < 75 ? 1 : t < 90 ? 2 : 3];
    }

    /** Submits the whole day, pacing each slice to its time. */
    void submitAll(Sluice sluice) {
        int totalLoad = 0;
        for (int load : HOURLY_LOAD) {
            totalLoad += load;
        }
        long start = System.nanoTime();
        long next = 0;
        long cumulativeLoad = 0;
        for (int h = 0; h < 24; h++) {
            hour = h;
            long hourStart = next;
            cumulativeLoad += HOURLY_LOAD[h];
            long hourEnd = h == 23 ? jobs : jobs * cumulativeLoad / totalLoad;
            for (int s = 1; s <= SLICES_PER_HOUR; s++) {
                long sliceEnd = hourStart + (hourEnd - hourStart) * s / SLICES_PER_HOUR;
                waitUntil(start + (h * hourMillis + (s - 1) * hourMillis / SLICES_PER_HOUR) * 1_000_000);
                while (next < sliceEnd) {
                    int n = (int) Math.min(CHUNK, sliceEnd - next);
                    sluice.submitAll(chunk(next, n));
                    next += n;
                    submitted.set(next);
                }
            }
        }
    }

    private List<JobRequest> chunk(long first, int n) {
        List<JobRequest> requests = new ArrayList<>(n);
        long now = System.nanoTime();
        for (long job = first; job < first + n; job++) {
            Priority priority = priorityOf(job);
            // The payload carries the submit time, so the handler can measure the wait per priority.
            requests.add(JobRequest.builder(type).payload(priority.weight() + ":" + now)
                    .priority(priority).tenant(tenantOf(job)).build());
        }
        return requests;
    }

    long submitted() {
        return submitted.get();
    }

    /** The hour of the simulated day being submitted, 0..23. */
    int hour() {
        return hour;
    }

    private static void waitUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}
