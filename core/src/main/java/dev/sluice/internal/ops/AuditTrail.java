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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The audit trail: buffers the state changes the engine makes and appends them to the store in batches
 * ({@link JobStore#appendHistory}), on the flush interval or when a batch is full. A failed write is kept and
 * tried again; entries are dropped (counted in {@code sluice.audit.dropped}) only when the buffer limit is reached,
 * which takes a store that has refused writes for a long time. Thread-safe: engine threads add, one writer flushes.
 *
 * <p>Changes of one job reach the buffer from several threads (a submit records the creation after the store
 * call, when the dispatcher may have recorded the claim already), so each batch is written in the order of the
 * changes' times, a creation first among equal times, and a scheduled flush leaves the entries of the last
 * {@value #SETTLE_MILLIS} ms for the next one, so that such racing entries share a batch.
 */
public final class AuditTrail implements TransitionSink {

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    static final long SETTLE_MILLIS = 20;
    private static final Comparator<Buffered> ORDER = Comparator
            .comparing((Buffered b) -> b.entry.at())
            .thenComparing(b -> b.entry.from() != null);

    private record Buffered(HistoryEntry entry, long addedNanos) {
    }

    private final int batchSize;
    private final int bufferLimit;
    private final ConcurrentLinkedQueue<Buffered> buffer = new ConcurrentLinkedQueue<>();
    private final AtomicInteger buffered = new AtomicInteger();
    /** A batch whose write failed, written first next time; guarded by {@code this}. */
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
    public void transition(long atMillis, JobId id, JobState from, JobState to, int attempt, String error) {
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
        buffer.offer(new Buffered(new HistoryEntry(id, Instant.ofEpochMilli(atMillis), from, to, attempt, nodeId,
                error), System.nanoTime()));
        if (buffered.incrementAndGet() % batchSize == 0) {
            onBatchFull.run();
        }
    }

    /** Entries waiting to be written. */
    int pending() {
        return buffered.get();
    }

    /**
     * Writes everything buffered now, in batches.
     *
     * @return true when nothing is left; false when the store refused a batch (kept for the next flush)
     */
    synchronized boolean flush() {
        return flush(Long.MAX_VALUE);
    }

    /** Writes the entries buffered before {@code addedBeforeNanos}. */
    private boolean flush(long addedBeforeNanos) {
        JobStore target = store;
        if (target == null) {
            return buffered.get() == 0;
        }
        while (true) {
            List<HistoryEntry> batch = unwritten;
            if (batch.isEmpty()) {
                List<Buffered> taken = new ArrayList<>(Math.min(batchSize, Math.max(1, buffered.get())));
                Buffered b;
                while (taken.size() < batchSize && (b = buffer.peek()) != null
                        && b.addedNanos - addedBeforeNanos < 0) {
                    taken.add(buffer.poll());
                }
                if (taken.isEmpty()) {
                    return buffered.get() == 0;
                }
                taken.sort(ORDER);
                batch = new ArrayList<>(taken.size());
                for (Buffered t : taken) {
                    batch.add(t.entry);
                }
            }
            try {
                target.appendHistory(batch);
            } catch (RuntimeException e) {
                unwritten = batch;
                log.warn("writing {} audit entries failed; they are kept and written with the next flush",
                        batch.size(), e);
                return false;
            }
            unwritten = List.of();
            warnedFull = false;
            buffered.addAndGet(-batch.size());
        }
    }

    /** The scheduled flush: writes all but the entries of the last few milliseconds. Never throws. */
    void flushSettled() {
        try {
            synchronized (this) {
                flush(System.nanoTime() - SETTLE_MILLIS * 1_000_000L);
            }
        } catch (RuntimeException e) {
            log.warn("audit flush failed", e);
        }
    }
}
