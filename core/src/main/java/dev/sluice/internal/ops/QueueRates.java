package dev.sluice.internal.ops;

import dev.sluice.JobState;
import dev.sluice.store.QueueStats;
import dev.sluice.store.StoreStats;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Per-queue rates from the store stats snapshots the observer takes anyway (one per refresh interval): the
 * change of a queue's counts between the oldest snapshot of the last minute and the newest. No store call of its
 * own. Thread-safe.
 */
final class QueueRates {

    static final long WINDOW_NANOS = 60_000_000_000L;

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    /** The rates of one queue, per second. */
    record Rates(double submittedPerSecond, double finishedPerSecond) {
        static final Rates NONE = new Rates(0, 0);
    }

    private record Sample(long nanoTime, StoreStats stats) {
    }

    /** Takes a snapshot (the observer's sink). */
    synchronized void add(StoreStats stats) {
        add(System.nanoTime(), stats);
    }

    synchronized void add(long nanoTime, StoreStats stats) {
        samples.addLast(new Sample(nanoTime, stats));
        // Keep one sample at or before the window's start, so that the rates always span a full window.
        while (samples.size() > 2) {
            Iterator<Sample> it = samples.iterator();
            it.next();
            if (it.next().nanoTime() <= nanoTime - WINDOW_NANOS) {
                samples.removeFirst();
            } else {
                break;
            }
        }
    }

    /** The newest snapshot, or null before the first. */
    synchronized StoreStats latest() {
        return samples.isEmpty() ? null : samples.getLast().stats();
    }

    synchronized Rates of(String queue) {
        if (samples.size() < 2) {
            return Rates.NONE;
        }
        Sample old = samples.getFirst();
        Sample now = samples.getLast();
        double seconds = (now.nanoTime() - old.nanoTime()) / 1e9;
        if (seconds <= 0) {
            return Rates.NONE;
        }
        QueueStats before = old.stats().queues().get(queue);
        QueueStats after = now.stats().queues().get(queue);
        long added = total(after) - total(before);
        long finished = finished(after) - finished(before);
        // Deletions (retention) lower the counts: a negative change says nothing of the rate, so it reads 0.
        return new Rates(Math.max(0, added) / seconds, Math.max(0, finished) / seconds);
    }

    private static long total(QueueStats q) {
        long n = 0;
        if (q != null) {
            for (JobState state : JobState.values()) {
                n += q.count(state);
            }
        }
        return n;
    }

    private static long finished(QueueStats q) {
        return q == null ? 0 : q.count(JobState.SUCCEEDED) + q.count(JobState.DEAD) + q.count(JobState.CANCELLED);
    }
}
