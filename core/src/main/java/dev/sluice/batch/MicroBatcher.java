package dev.sluice.batch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Gathers items added from many threads and hands them to a flusher in batches: a batch is flushed when it holds
 * {@code maxBatchSize} items, or {@code maxDelay} after its oldest item was added, or when {@link #flush()} is
 * called; for "batch database operations" such as 100 writes or 5 seconds, whichever comes first. Made by
 * {@link #builder}; thread-safe.
 *
 * <p><b>One flusher thread.</b> Batches are flushed one at a time, in the order items were added, on a daemon
 * thread of the batcher's own: the flusher need not be thread-safe.
 *
 * <p><b>Bounded buffer.</b> At most {@code capacity} items wait (plus the batch being flushed). When the buffer is
 * full, {@link #add} follows the {@link FullPolicy}: BLOCK (the default) waits for room, REJECT throws
 * {@link RejectedExecutionException} at once and the item is not taken.
 *
 * <p><b>No silent loss.</b> An item accepted by {@link #add} is handed to the flusher exactly once. When the flusher
 * throws, the whole batch goes to the error handler with the error (default: log an ERROR naming the number of
 * items); the batcher then goes on with the next batch. {@link #failedItems()} counts such items.
 *
 * @param <T> the item type
 */
public final class MicroBatcher<T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MicroBatcher.class);

    /** What {@link #add} does when the buffer is full. */
    public enum FullPolicy {
        /** Wait until the flusher makes room (interruptibly). */
        BLOCK,
        /** Throw {@link RejectedExecutionException} at once; the item is not taken. */
        REJECT
    }

    /** Receives a batch whose flush threw. Called on the flusher thread. */
    @FunctionalInterface
    public interface FlushErrorHandler<T> {
        void onFlushError(List<T> batch, Throwable error);
    }

    private final Consumer<List<T>> flusher;
    private final int maxBatchSize;
    private final long maxDelayNanos;
    private final FullPolicy fullPolicy;
    private final FlushErrorHandler<T> onError;
    private final String name;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Condition roomOrDone = lock.newCondition();
    // A ring buffer of items and the times they were added; guarded by lock.
    private final Object[] items;
    private final long[] addedAt;
    private int head;
    private int count;
    private long added;
    private long flushed;
    private long forceUpTo;
    private long failed;
    private boolean closed;
    private final Thread thread;

    private MicroBatcher(Builder<T> b) {
        this.flusher = b.flusher;
        this.maxBatchSize = b.maxBatchSize;
        this.maxDelayNanos = b.maxDelay.toNanos();
        this.fullPolicy = b.fullPolicy;
        this.name = b.name;
        this.onError = b.onError != null ? b.onError : (batch, error) -> log.error(
                "micro-batcher '{}': flushing {} items failed; they were not written", name, batch.size(), error);
        this.items = new Object[b.capacity];
        this.addedAt = new long[b.capacity];
        this.thread = new Thread(this::flushLoop, "sluice-microbatcher-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** A builder for a batcher that hands its batches to {@code flusher}. */
    public static <T> Builder<T> builder(Consumer<List<T>> flusher) {
        return new Builder<>(Objects.requireNonNull(flusher, "flusher"));
    }

    /**
     * Adds an item. When the buffer is full: waits (BLOCK) or throws (REJECT).
     *
     * @throws RejectedExecutionException when the buffer is full under REJECT
     * @throws IllegalStateException      when the batcher is closed
     * @throws InterruptedException       when interrupted while waiting for room; the item was not taken
     */
    public void add(T item) throws InterruptedException {
        Objects.requireNonNull(item, "item");
        lock.lockInterruptibly();
        try {
            while (count == items.length && !closed) {
                if (fullPolicy == FullPolicy.REJECT) {
                    throw new RejectedExecutionException("micro-batcher '" + name + "' is full: " + items.length
                            + " items wait to be flushed (capacity)");
                }
                roomOrDone.await();
            }
            if (closed) {
                throw new IllegalStateException("micro-batcher '" + name + "' is closed");
            }
            int tail = (head + count) % items.length;
            items[tail] = item;
            addedAt[tail] = System.nanoTime();
            count++;
            added++;
            if (count == 1 || count >= maxBatchSize) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Flushes every item added before this call and waits until the flusher (or the error handler) has had them.
     *
     * @throws InterruptedException when interrupted while waiting; the flush still happens
     */
    public void flush() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long target = added;
            forceUpTo = Math.max(forceUpTo, target);
            changed.signal();
            while (flushed < target) {
                roomOrDone.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Items waiting to be flushed. */
    public int pending() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Items whose flush threw and that went to the error handler. */
    public long failedItems() {
        lock.lock();
        try {
            return failed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops taking items, flushes those that wait and waits until they are flushed and the flusher thread ended.
     * Idempotent; adds blocked in BLOCK fail with {@link IllegalStateException}.
     */
    @Override
    public void close() throws InterruptedException {
        lock.lock();
        try {
            closed = true;
            changed.signal();
            roomOrDone.signalAll();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != thread) {
            thread.join();
        }
    }

    private void flushLoop() {
        List<T> batch = new ArrayList<>(Math.min(maxBatchSize, 4096));
        while (true) {
            lock.lock();
            try {
                while (true) {
                    if (count >= maxBatchSize || (count > 0 && (closed || forceUpTo > flushed))) {
                        break;
                    }
                    if (count == 0) {
                        if (closed) {
                            roomOrDone.signalAll();
                            return;
                        }
                        changed.awaitUninterruptibly();
                        continue;
                    }
                    long wait = addedAt[head] + maxDelayNanos - System.nanoTime();
                    if (wait <= 0) {
                        break;
                    }
                    try {
                        changed.awaitNanos(wait);
                    } catch (InterruptedException e) {
                        // Only close() should end the loop, and it never interrupts: keep going.
                    }
                }
                int n = Math.min(count, maxBatchSize);
                for (int i = 0; i < n; i++) {
                    @SuppressWarnings("unchecked")
                    T item = (T) items[head];
                    batch.add(item);
                    items[head] = null;
                    head = (head + 1) % items.length;
                }
                count -= n;
                roomOrDone.signalAll();
            } finally {
                lock.unlock();
            }
            boolean ok = true;
            List<T> handed = List.copyOf(batch);
            try {
                flusher.accept(handed);
            } catch (Throwable e) {
                ok = false;
                try {
                    onError.onFlushError(handed, e);
                } catch (Throwable e2) {
                    log.error("micro-batcher '{}': the error handler failed on {} items", name, handed.size(), e2);
                }
            }
            lock.lock();
            try {
                flushed += handed.size();
                if (!ok) {
                    failed += handed.size();
                }
                roomOrDone.signalAll();
            } finally {
                lock.unlock();
            }
            batch.clear();
        }
    }

    /** Builds a {@link MicroBatcher}; {@link #build()} validates and starts it. */
    public static final class Builder<T> {
        private final Consumer<List<T>> flusher;
        private int maxBatchSize = 100;
        private Duration maxDelay = Duration.ofSeconds(5);
        private int capacity = 10_000;
        private FullPolicy fullPolicy = FullPolicy.BLOCK;
        private FlushErrorHandler<T> onError;
        private String name = "default";

        private Builder(Consumer<List<T>> flusher) {
            this.flusher = flusher;
        }

        /** Items per batch at most, 1 to 1,000,000. Default 100. */
        public Builder<T> maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        /** Longest time an item waits for a batch to fill, positive. Default 5 s. */
        public Builder<T> maxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
            return this;
        }

        /** Items that may wait, at least maxBatchSize. Default 10,000. */
        public Builder<T> capacity(int capacity) {
            this.capacity = capacity;
            return this;
        }

        /** What add does when the buffer is full. Default BLOCK. */
        public Builder<T> whenFull(FullPolicy fullPolicy) {
            this.fullPolicy = Objects.requireNonNull(fullPolicy, "fullPolicy");
            return this;
        }

        /** Receives batches whose flush threw. Default: log an ERROR naming the count. */
        public Builder<T> onFlushError(FlushErrorHandler<T> onError) {
            this.onError = Objects.requireNonNull(onError, "onError");
            return this;
        }

        /** Names the flusher thread and log lines. */
        public Builder<T> name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        public MicroBatcher<T> build() {
            if (maxBatchSize < 1 || maxBatchSize > 1_000_000) {
                throw new IllegalArgumentException("maxBatchSize must be in [1, 1000000] but was " + maxBatchSize);
            }
            if (maxDelay == null || maxDelay.isNegative() || maxDelay.isZero()) {
                throw new IllegalArgumentException("maxDelay must be a positive duration but was " + maxDelay);
            }
            if (capacity < maxBatchSize) {
                throw new IllegalArgumentException("capacity must be >= maxBatchSize (" + maxBatchSize
                        + ") but was " + capacity);
            }
            return new MicroBatcher<>(this);
        }
    }
}
