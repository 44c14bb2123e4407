package dev.sluice.store;

import java.util.Arrays;

/**
 * An indexed binary min-heap of jobs: each job knows its slot ({@link MemJob#heapIndex}), so removing or
 * re-ranking any job costs O(log n). Orders either READY jobs by {@code (sortKey, id)} or SCHEDULED jobs by
 * {@code (runAt, id)}. Not thread-safe: guarded by the store's lock. A job is in at most one heap at a time.
 */
final class JobHeap {

    private static final int INITIAL_CAPACITY = 8;

    private final boolean byRunAt;
    private MemJob[] items = new MemJob[INITIAL_CAPACITY];
    private int size;

    private JobHeap(boolean byRunAt) {
        this.byRunAt = byRunAt;
    }

    /** A heap of READY jobs, best sort key first, ties by ascending id. */
    static JobHeap bySortKey() {
        return new JobHeap(false);
    }

    /** A heap of SCHEDULED jobs, earliest run-at first, ties by ascending id. */
    static JobHeap byRunAt() {
        return new JobHeap(true);
    }

    /** True when ready job {@code a} is handed out before ready job {@code b}. */
    static boolean readyBefore(MemJob a, MemJob b) {
        return a.sortKey < b.sortKey || (a.sortKey == b.sortKey && a.id.compareTo(b.id) < 0);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The best job, or null when empty. */
    MemJob peek() {
        return size == 0 ? null : items[0];
    }

    void add(MemJob job) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        int slot = size++;
        items[slot] = job;
        job.heapIndex = slot;
        siftUp(slot);
    }

    /** Removes and returns the best job, or null when empty. */
    MemJob poll() {
        if (size == 0) {
            return null;
        }
        MemJob top = items[0];
        removeAt(0);
        return top;
    }

    /** Removes a job that is in this heap. */
    void remove(MemJob job) {
        removeAt(job.heapIndex);
    }

    /**
     * The smallest {@code readyAtMillis} of the jobs in a ready heap, or {@link MemJob#NONE} when empty. Since
     * {@code readyAt >= sortKey} for every job and sort keys grow down the heap, a subtree whose root's sort key is
     * not below the best ready-at found so far cannot hold a smaller one and is skipped: the walk visits only the
     * jobs that became ready within three aging steps of the head.
     */
    long minReadyAt() {
        if (size == 0) {
            return MemJob.NONE;
        }
        long best = Long.MAX_VALUE;
        int[] stack = new int[64];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int slot = stack[--top];
            MemJob job = items[slot];
            if (job.sortKey >= best) {
                continue;
            }
            best = Math.min(best, job.readyAtMillis);
            int child = 2 * slot + 1;
            for (int c = child; c <= child + 1 && c < size; c++) {
                if (top == stack.length) {
                    stack = Arrays.copyOf(stack, top * 2);
                }
                stack[top++] = c;
            }
        }
        return best;
    }

    private void removeAt(int slot) {
        MemJob removed = items[slot];
        removed.heapIndex = -1;
        int last = --size;
        if (slot != last) {
            MemJob moved = items[last];
            items[slot] = moved;
            moved.heapIndex = slot;
            items[last] = null;
            siftDown(slot);
            if (items[slot] == moved) {
                siftUp(slot);
            }
        } else {
            items[last] = null;
        }
        // Give memory back after a burst: a heap that held a million jobs keeps no 4 MB array when drained.
        if (items.length > 1024 && size < items.length / 4) {
            items = Arrays.copyOf(items, items.length / 2);
        }
    }

    private boolean before(MemJob a, MemJob b) {
        if (byRunAt) {
            return a.runAtMillis < b.runAtMillis || (a.runAtMillis == b.runAtMillis && a.id.compareTo(b.id) < 0);
        }
        return readyBefore(a, b);
    }

    private void siftUp(int slot) {
        MemJob job = items[slot];
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            MemJob up = items[parent];
            if (!before(job, up)) {
                break;
            }
            items[slot] = up;
            up.heapIndex = slot;
            slot = parent;
        }
        items[slot] = job;
        job.heapIndex = slot;
    }

    private void siftDown(int slot) {
        MemJob job = items[slot];
        int half = size >>> 1;
        while (slot < half) {
            int child = 2 * slot + 1;
            MemJob best = items[child];
            int right = child + 1;
            if (right < size && before(items[right], best)) {
                child = right;
                best = items[right];
            }
            if (!before(best, job)) {
                break;
            }
            items[slot] = best;
            best.heapIndex = slot;
            slot = child;
        }
        items[slot] = job;
        job.heapIndex = slot;
    }
}
