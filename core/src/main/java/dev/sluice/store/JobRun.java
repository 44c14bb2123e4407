package dev.sluice.store;

import java.util.Arrays;

/**
 * Ready jobs that arrived already in claim order: a ring buffer that a job joins at the tail only when it sorts
 * after the current tail, so adding and taking the head cost O(1) with no comparisons down a tree. A job removed
 * from the middle (cancel, reprioritize) leaves an empty slot that the ends skip. Each job knows its slot
 * ({@link MemJob#heapIndex}). Guarded by the store's lock.
 */
final class JobRun {

    private static final int INITIAL_CAPACITY = 16;

    private MemJob[] items = new MemJob[INITIAL_CAPACITY];
    private int head;
    /** Slots from head to tail, empty ones included. */
    private int span;
    private int live;

    boolean isEmpty() {
        return live == 0;
    }

    MemJob first() {
        return live == 0 ? null : items[head];
    }

    MemJob last() {
        return live == 0 ? null : items[(head + span - 1) & (items.length - 1)];
    }

    /** Appends a job that does not sort before {@link #last()}. */
    void append(MemJob job) {
        if (span == items.length) {
            relayout(items.length * 2);
        }
        int slot = (head + span) & (items.length - 1);
        items[slot] = job;
        job.heapIndex = slot;
        span++;
        live++;
    }

    void remove(MemJob job) {
        items[job.heapIndex] = null;
        job.heapIndex = -1;
        live--;
        if (live == 0) {
            head = 0;
            span = 0;
        } else {
            int mask = items.length - 1;
            while (items[head] == null) {
                head = (head + 1) & mask;
                span--;
            }
            while (items[(head + span - 1) & mask] == null) {
                span--;
            }
        }
        if (items.length > 1024 && span < items.length / 4) {
            relayout(items.length / 2);
        }
    }

    /** Copies the slots to an array of the given size starting at 0, keeping empty slots, and re-indexes the jobs. */
    private void relayout(int capacity) {
        MemJob[] moved = new MemJob[capacity];
        int mask = items.length - 1;
        for (int i = 0; i < span; i++) {
            MemJob job = items[(head + i) & mask];
            moved[i] = job;
            if (job != null) {
                job.heapIndex = i;
            }
        }
        items = moved;
        head = 0;
    }

    @Override
    public String toString() {
        return "JobRun{live=" + live + ", span=" + span + ", slots=" + items.length + ", head=" + head
                + ", items=" + Arrays.toString(items) + '}';
    }
}
