package dev.sluice.internal.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Fires every {@code interval}, at {@code anchor + k × interval} for every whole k (a fixed rate, not a delay). */
public final class IntervalSchedule implements Schedule {

    private final Duration interval;
    private final Instant anchor;
    private final long intervalMillis;

    public IntervalSchedule(Duration interval, Instant anchor) {
        this.interval = interval;
        this.anchor = anchor;
        this.intervalMillis = interval.toMillis();
    }

    @Override
    public Optional<Instant> nextAfter(Instant time) {
        long k = Math.floorDiv(time.toEpochMilli() - anchor.toEpochMilli(), intervalMillis) + 1;
        return Optional.of(anchor.plusMillis(k * intervalMillis));
    }

    @Override
    public Optional<Instant> latestBefore(Instant time) {
        long k = Math.floorDiv(time.toEpochMilli() - 1 - anchor.toEpochMilli(), intervalMillis);
        return Optional.of(anchor.plusMillis(k * intervalMillis));
    }

    @Override
    public String describe() {
        return "every " + interval + " from " + anchor;
    }
}
