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

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The audit trail: buffers the state changes the engine makes and appends them to the store in batches
 * ({@link JobStore#appendHistory}), on the flush interval or when a batch is full. A failed write is kept and
 * tried again; entries are dropped (counted in {@code sluice.audit.dropped}) only when the buffer limit is reached,
 * which takes a store that has refused writes for a long time. Thread-safe: engine threads add, one writer flushes.
 */
public final class AuditTrail implements TransitionSink {

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

    private final int batchSize;
    private final int bufferLimit;
    private final ConcurrentLinkedQueue<HistoryEntry> buffer = new ConcurrentLinkedQueue<>();
    private final AtomicInteger buffered = new AtomicInteger();
    /** A batch whose write failed, written first next time; guarded by {@code this}. */
    private List<HistoryEntry> unwritten = List.of();
    private volatile JobStore store;
    private volatile String nodeId;
    private volatile Clock clock = Clock.systemUTC();
    private volatile Counter dropped;
    private volatile boolean warnedFull;
    private volatile Runnable onBatchFull = () -> { };

    public AuditTrail(OperationsConfig config) {
        this.batchSize = config.auditBatchSize();
        this.bufferLimit = config.auditBufferLimit();
    }

    /** Connects the trail to the engine it records; before the engine takes any job. */
    public void bind(JobStore store, String nodeId, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.nodeId = nodeId;
        this.clock = clock;
        this.dropped = Counter.builder("sluice.audit.dropped")
                .description("Audit entries dropped because the store did not take them in time").register(registry);
    }

    /** Called when a batch is full, so that the writer flushes early. */
    void onBatchFull(Runnable wake) {
        this.onBatchFull = wake;
    }

    @Override
    public void transition(JobId id, JobState from, JobState to, int attempt, String error) {
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
        buffer.offer(new HistoryEntry(id, Instant.ofEpochMilli(clock.millis()), from, to, attempt, nodeId, error));
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
        JobStore target = store;
        if (target == null) {
            return buffered.get() == 0;
        }
        while (true) {
            List<HistoryEntry> batch = unwritten;
            if (batch.isEmpty()) {
                batch = new ArrayList<>(Math.min(batchSize, Math.max(1, buffered.get())));
                HistoryEntry e;
                while (batch.size() < batchSize && (e = buffer.poll()) != null) {
                    batch.add(e);
                }
                if (batch.isEmpty()) {
                    return true;
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

    /** Flushes, logging what the store refused. Never throws. */
    void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("audit flush failed", e);
        }
    }
}
