package dev.sluice.store;

/**
 * An intrusive doubly-linked list of jobs through {@link MemJob#prev}/{@link MemJob#next}, in the order they
 * were added: O(1) add, remove and take-first with no node objects. The store keeps two (running jobs, finished
 * jobs retained for queries); a job is on at most one. Guarded by the store's lock.
 */
final class JobChain {

    private MemJob first;
    private MemJob last;
    private int size;

    int size() {
        return size;
    }

    MemJob first() {
        return first;
    }

    void add(MemJob job) {
        job.prev = last;
        job.next = null;
        if (last == null) {
            first = job;
        } else {
            last.next = job;
        }
        last = job;
        size++;
    }

    void remove(MemJob job) {
        MemJob before = job.prev;
        MemJob after = job.next;
        if (before == null) {
            first = after;
        } else {
            before.next = after;
        }
        if (after == null) {
            last = before;
        } else {
            after.prev = before;
        }
        job.prev = null;
        job.next = null;
        size--;
    }

    /** Removes and returns the oldest job, or null when empty. */
    MemJob removeFirst() {
        MemJob job = first;
        if (job != null) {
            remove(job);
        }
        return job;
    }
}
