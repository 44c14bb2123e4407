package dev.sluice.batch;

import java.util.function.BooleanSupplier;

/**
 * What a {@link BatchHandler} knows of the batch it processes. Immutable except {@link #shouldStop()}, which
 * turns true when the run is cancelled or stops early; thread-safe.
 */
public final class BatchAttempt {

    private final long batchIndex;
    private final long firstRecordOffset;
    private final int attempt;
    private final BooleanSupplier stopping;

    BatchAttempt(long batchIndex, long firstRecordOffset, int attempt, BooleanSupplier stopping) {
        this.batchIndex = batchIndex;
        this.firstRecordOffset = firstRecordOffset;
        this.attempt = attempt;
        this.stopping = stopping;
    }

    /** The batch's number in the source, 0 for the first; the same in every run over the same source. */
    public long batchIndex() {
        return batchIndex;
    }

    /** The position of the batch's first record in the source, 0-based: {@code batchIndex × batchSize}. */
    public long firstRecordOffset() {
        return firstRecordOffset;
    }

    /** 1 for the first try of this batch in this run, 2 for its first retry, and so on. */
    public int attempt() {
        return attempt;
    }

    /** True once the run is cancelled or stopping early; a long batch may end sooner by throwing. */
    public boolean shouldStop() {
        return stopping.getAsBoolean();
    }

    @Override
    public String toString() {
        return "BatchAttempt{batch=" + batchIndex + ", offset=" + firstRecordOffset + ", attempt=" + attempt + '}';
    }
}
