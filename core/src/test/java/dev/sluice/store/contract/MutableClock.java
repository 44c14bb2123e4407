package dev.sluice.store.contract;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Clock} that tests move by hand, to millisecond precision. Thread-safe: stores read it from any thread
 * while the test advances it. Time never moves unless the test moves it.
 */
public final class MutableClock extends Clock {

    private final AtomicLong millis;

    public MutableClock(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    /** Moves the clock forward (or back, for a negative duration). */
    public void advance(Duration duration) {
        millis.addAndGet(duration.toMillis());
    }

    public void advanceMillis(long delta) {
        millis.addAndGet(delta);
    }

    public void set(Instant instant) {
        millis.set(instant.toEpochMilli());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** A clock in another zone that shares this one's time: advancing this clock moves it too. */
    @Override
    public Clock withZone(ZoneId newZone) {
        MutableClock owner = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return newZone;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return owner.withZone(zone);
            }

            @Override
            public long millis() {
                return owner.millis();
            }

            @Override
            public Instant instant() {
                return owner.instant();
            }
        };
    }

    @Override
    public String toString() {
        return "MutableClock[" + instant() + "]";
    }
}
