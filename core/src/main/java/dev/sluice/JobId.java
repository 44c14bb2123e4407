package dev.sluice;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A job's identity: a time-ordered 128-bit id (UUID version 7 layout) made in the client, so that a batch of
 * jobs is inserted without a round trip per job.
 *
 * <p>Layout: 48 bits of Unix milliseconds, the version nibble 7, 12 random bits fixed per process; then the
 * variant bits, 30 random bits fixed per process and a 32-bit per-process counter. Ids made by one process
 * are strictly increasing; ids made by different processes order by millisecond. Immutable and thread-safe.
 */
public final class JobId implements Comparable<JobId> {

    private static final long PROCESS_MSB_BITS;
    private static final long PROCESS_LSB_BITS;
    private static final AtomicLong LAST_MILLIS = new AtomicLong();
    private static final AtomicLong COUNTER = new AtomicLong();

    static {
        SecureRandom random = new SecureRandom();
        PROCESS_MSB_BITS = 0x7000L | (random.nextInt() & 0x0FFFL);
        PROCESS_LSB_BITS = 0x8000_0000_0000_0000L | ((random.nextLong() & 0x3FFF_FFFFL) << 32);
        COUNTER.set(random.nextInt() & 0xFFFF_FFFFL);
    }

    private final long msb;
    private final long lsb;

    private JobId(long msb, long lsb) {
        this.msb = msb;
        this.lsb = lsb;
    }

    /** A new id, greater than every id this process made before. */
    public static JobId next() {
        long now = System.currentTimeMillis();
        // The clock may step back (NTP); never let the id's time go backwards within this process.
        long millis = LAST_MILLIS.accumulateAndGet(now, Math::max);
        long count = COUNTER.getAndIncrement() & 0xFFFF_FFFFL;
        return new JobId((millis << 16) | PROCESS_MSB_BITS, PROCESS_LSB_BITS | count);
    }

    /** Rebuilds an id from its two halves (as a store keeps them). */
    public static JobId of(long mostSignificantBits, long leastSignificantBits) {
        return new JobId(mostSignificantBits, leastSignificantBits);
    }

    /**
     * Parses the canonical UUID text form.
     *
     * @throws IllegalArgumentException naming the text when it is not a UUID
     */
    public static JobId parse(String text) {
        Objects.requireNonNull(text, "job id text");
        try {
            UUID uuid = UUID.fromString(text);
            return new JobId(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a job id: '" + text + "'", e);
        }
    }

    public long mostSignificantBits() {
        return msb;
    }

    public long leastSignificantBits() {
        return lsb;
    }

    /** Epoch milliseconds at which the id was made. */
    public long timestampMillis() {
        return msb >>> 16;
    }

    public UUID toUuid() {
        return new UUID(msb, lsb);
    }

    @Override
    public int compareTo(JobId other) {
        int c = Long.compareUnsigned(msb, other.msb);
        return c != 0 ? c : Long.compareUnsigned(lsb, other.lsb);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof JobId && ((JobId) o).msb == msb && ((JobId) o).lsb == lsb);
    }

    @Override
    public int hashCode() {
        long h = msb ^ lsb;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public String toString() {
        return toUuid().toString();
    }
}
