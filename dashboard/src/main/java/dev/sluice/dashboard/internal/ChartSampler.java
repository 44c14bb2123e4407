package dev.sluice.dashboard.internal;

import dev.sluice.JobState;
import dev.sluice.store.StoreStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the last hour of samples for the overview's charts: every interval, the rates of succeeded and failed
 * attempts since the previous sample and the READY and RUNNING totals. Memory is bounded by the hour
 * (720 samples at the default 5 s). Sampling runs on one daemon thread; reads may come from any thread.
 */
public final class ChartSampler implements AutoCloseable {

    /** One point of the charts; rates are per second. */
    public record Sample(long at, double succeededPerSecond, double failedPerSecond, long ready, long running) {
    }

    /** The charts' data: the samples oldest first, and where the rates come from. */
    public record Series(String source, long intervalMillis, List<Sample> samples) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChartSampler.class);
    private static final Duration WINDOW = Duration.ofHours(1);

    private final ConsoleBackend backend;
    private final CompletionCounts counts;
    private final Clock clock;
    private final Duration interval;
    private final int capacity;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private ScheduledExecutorService timer;
    private long previousAt = -1;
    private double previousSucceeded;
    private double previousFailed;
    private boolean failureLogged;

    public ChartSampler(ConsoleBackend backend, CompletionCounts counts, Clock clock, Duration interval) {
        this.backend = backend;
        this.counts = counts;
        this.clock = clock;
        this.interval = interval;
        this.capacity = (int) (WINDOW.toMillis() / interval.toMillis());
    }

    /** Starts sampling on a daemon thread, first sample now. */
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-dashboard-sampler");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::sampleQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes one sample now; the first one only sets the baseline of the rates. */
    public void sampleNow() {
        StoreStats stats = backend.stats();
        backend.batches(); // keeps the batch view's memory of runs current even when nobody looks
        long now = clock.millis();
        double succeeded = counts.succeeded(stats);
        double failed = counts.failed(stats);
        synchronized (this) {
            if (previousAt >= 0 && now > previousAt) {
                double seconds = (now - previousAt) / 1000.0;
                samples.addLast(new Sample(now,
                        Math.max(0, succeeded - previousSucceeded) / seconds,
                        Math.max(0, failed - previousFailed) / seconds,
                        stats.total(JobState.READY), stats.total(JobState.RUNNING)));
                while (samples.size() > capacity) {
                    samples.removeFirst();
                }
            }
            previousAt = now;
            previousSucceeded = succeeded;
            previousFailed = failed;
        }
    }

    public synchronized Series series() {
        return new Series(counts.source(), interval.toMillis(), new ArrayList<>(samples));
    }

    private void sampleQuietly() {
        try {
            sampleNow();
            failureLogged = false;
        } catch (RuntimeException e) {
            // A store outage shows in health and alerts; the charts just get a gap. Log once per outage.
            if (!failureLogged) {
                LOG.warn("dashboard could not take a chart sample; retrying every {}", interval, e);
                failureLogged = true;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
