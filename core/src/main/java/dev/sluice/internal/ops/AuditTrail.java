package dev.sluice.internal.ops;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.internal.engine.TransitionSink;
import dev.sluice.ops.OperationsConfig;
import dev.sluice.store.HistoryEntry;
import dev.sluice.store.JobStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit trail: buffers the state changes the engine makes and appends them to the store in batches
 * ({@link JobStore#appendHistory}), on the flush interval or when a batch is full. A failed write is kept and
 * tried again; entries are dropped (counted in {@code sluice.audit.dropped}) only when the buffer limit is reached,
 * which takes a store that has refused writes for a long time. Thread-safe: engine threads add, one writer flushes.
 *
 * <p>So that each job's entries are stored in the order they happened on this node (see {@link TransitionSink}),
 * a batch is written in sequence order, and a scheduled flush stops at the first entry placed after a reservation
 * that is still open: the change reserved there, made by a store call under way, comes first.
 */
public final class AuditTrail implements TransitionSink {

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private static final Comparator<Buffered> ORDER = Comparator.comparingLong(Buffered::sequence);

    private record Buffered(HistoryEntry entry, long sequence) {
    }

    private final int batchSize;
    private final int bufferLimit;
    private final ConcurrentLinkedQueue<Buffered> buffer = new ConcurrentLinkedQueue<>();
    private final AtomicInteger buffered = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentSkipListSet<Long> open = new ConcurrentSkipListSet<>();
    /** Entries whose write failed, written first next time; guarded by {@code this}. */
    private List<HistoryEntry> unwritten = List.of();
    private volatile JobStore store;
    private volatile String nodeId;
    private volatile Counter dropped;
    private volatile boolean warnedFull;
    private volatile Runnable onBatchFull = () -> { };

    public AuditTrail(OperationsConfig config) {
        this.batchSize = config.auditBatchSize();
        this.bufferLimit = config.auditBufferLimit();
    }

    /** Connects the trail to the engine it records; before the engine takes any job. */
    public void bind(JobStore store, String nodeId, MeterRegistry registry) {
        this.store = store;
        this.nodeId = nodeId;
        this.dropped = Counter.builder("sluice.audit.dropped")
                .description("Audit entries dropped because the store did not take them in time").register(registry);
    }

    /** Called when a batch is full, so that the writer flushes early. */
    void onBatchFull(Runnable wake) {
        this.onBatchFull = wake;
    }

    @Override
    public long reserve(int count) {
        long first = sequence.getAndAdd(count);
        open.add(first);
        return first;
    }

    @Override
    public void settle(long first) {
        open.remove(first);
    }

    @Override
    public void transition(long atMillis, long place, JobId id, JobState from, JobState to, int attempt,
                           String error) {
        if (buffered.get() >= bufferLimit) {
            Counter c = dropped;
            if (c != null) {
                c.increment();
            }
            if (!warnedFull) {
                warnedFull = true;
                log.error("audit trail buffer is full ({} entries): the store has not taken entries for a while;"
                        + " further entries are dropped and counted in sluice.audit.dropped", bufferLimit);
            }
            return;
        }
        long at = place >= 0 ? place : sequence.getAndIncrement();
        buffer.offer(new Buffered(new HistoryEntry(id, Instant.ofEpochMilli(atMillis), from, to, attempt, nodeId,
                error), at));
        if (buffered.incrementAndGet() % batchSize == 0) {
            onBatchFull.run();
        }
    }

    /** Entries waiting to be written. */
    int pending() {
        return buffered.get();
    }

    /**
     * Writes everything buffered now, in batches: at close and on an admin's flush.
     *
     * @return true when nothing is left; false when the store refused a batch (kept for the next flush)
     */
    synchronized boolean flush() {
        return flush(Long.MAX_VALUE);
    }

    /** The scheduled flush: writes the entries placed before every open reservation. Never throws. */
    void flushSettled() {
        try {
            synchronized (this) {
                Long firstOpen = open.isEmpty() ? null : open.first();
                flush(firstOpen == null ? Long.MAX_VALUE : firstOpen);
            }
        } catch (RuntimeException e) {
            log.warn("audit flush failed", e);
        }
    }

    /**
     * Writes the buffered entries placed before {@code placedBefore} (up to the first that is not), all taken at
     * once and sorted, so that no batch boundary splits a job's racing entries.
     */
    private boolean flush(long placedBefore) {
        JobStore target = store;
        if (target == null) {
            return buffered.get() == 0;
        }
        List<Buffered> taken = new ArrayList<>();
        Buffered b;
        while ((b = buffer.peek()) != null && b.sequence < placedBefore) {
            taken.add(buffer.poll());
        }
        taken.sort(ORDER);
        List<HistoryEntry> entries = new ArrayList<>(unwritten.size() + taken.size());
        entries.addAll(unwritten);
        for (Buffered t : taken) {
            entries.add(t.entry);
        }
        for (int from = 0; from < entries.size(); from += batchSize) {
            List<HistoryEntry> batch = entries.subList(from, Math.min(entries.size(), from + batchSize));
            try {
                target.appendHistory(batch);
            } catch (RuntimeException e) {
                unwritten = List.copyOf(entries.subList(from, entries.size()));
                log.warn("writing {} audit entries failed; they are kept and written with the next flush",
                        unwritten.size(), e);
                return false;
            }
            buffered.addAndGet(-batch.size());
        }
        unwritten = List.of();
        warnedFull = false;
        return buffered.get() == 0;
    }
}
