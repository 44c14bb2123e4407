package dev.sluice.store;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.StoreCapacityExceededException;
import dev.sluice.UniqueScope;
import dev.sluice.graph.FailurePolicy;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The data of an {@link InMemoryJobStore} and the moves of a job between states. Every move keeps the job's place
 * in the indexes (ready queues, scheduled heaps, running and finished chains, unique keys) and its queue's counts
 * in step, so that no query has to scan. Not thread-safe: the store calls it under its lock, with "now" read
 * once per call.
 */
final class JobTable {

    final long agingStepMillis;
    final int capacity;
    final int retainFinished;

    final Map<JobId, MemJob> jobs = new HashMap<>();
    final Map<String, MemQueue> queues = new HashMap<>();
    final Map<String, MemJob> uniqueKeyHolders = new HashMap<>();
    /** Jobs that will hold their key on after success, and for how long (only jobs that asked). */
    private final Map<MemJob, Long> holdAfterSuccess = new HashMap<>();
    /** Keys held by SUCCEEDED jobs, until when (epoch millis). */
    private final Map<String, Long> keyHeldUntil = new HashMap<>();
    final JobChain running = new JobChain();
    /** SUCCEEDED and CANCELLED jobs still kept, oldest finish first. */
    final JobChain finished = new JobChain();
    /** Jobs counted against the capacity: all but the finished-and-evictable ones. */
    int held;
    long lastFencingToken;
    long claimEpoch;
    /** The queue of the previous stored job: batches usually go to one queue. */
    private MemQueue lastQueue;
    /** Finished jobs whose dependents are still to be resolved; see {@link #releaseDependents}. */
    private final ArrayDeque<MemJob> finishedParents = new ArrayDeque<>();
    private boolean releasing;
    private int releasedToRun;
    /** Told of each job dropped from the table (so that its history goes too); may be null. */
    Consumer<JobId> onForget;

    JobTable(long agingStepMillis, int capacity, int retainFinished) {
        this.agingStepMillis = agingStepMillis;
        this.capacity = capacity;
        this.retainFinished = retainFinished;
    }

    /**
     * Stores all the jobs or, when one cannot be stored, none (see {@link JobStore#enqueue}).
     *
     * @return true when at least one job was stored
     */
    boolean store(List<NewJob> newJobs, EnqueueResult[] results, long now) {
        int n = results.length;
        // Pass 1 changes nothing: unique keys (held by a live job, or by an earlier job of this list), capacity.
        JobId[] duplicateOf = null;
        Map<String, JobId> keysOfList = null;
        int toStore = n;
        for (int i = 0; i < n; i++) {
            NewJob job = Objects.requireNonNull(newJobs.get(i), "null job in the enqueue list");
            String key = job.uniqueKey();
            if (key == null) {
                continue;
            }
            MemJob holder = holderOf(key, now);
            JobId holderId = holder != null ? holder.id : null;
            if (holderId == null) {
                if (keysOfList == null) {
                    keysOfList = new HashMap<>();
                }
                holderId = keysOfList.putIfAbsent(key, job.id());
            }
            if (holderId != null) {
                if (duplicateOf == null) {
                    duplicateOf = new JobId[n];
                }
                duplicateOf[i] = holderId;
                toStore--;
            }
        }
        checkParents(newJobs, duplicateOf);
        if ((long) held + toStore > capacity) {
            throw full("cannot store " + toStore + " more");
        }
        // Pass 2 takes the ids; a collision (rare) gives back the ids taken so far, so nothing is stored.
        MemJob[] created = new MemJob[n];
        for (int i = 0; i < n; i++) {
            if (duplicateOf != null && duplicateOf[i] != null) {
                continue;
            }
            NewJob job = newJobs.get(i);
            MemJob memJob = new MemJob(job);
            if (jobs.putIfAbsent(job.id(), memJob) != null) {
                for (int k = 0; k < i; k++) {
                    if (created[k] != null) {
                        jobs.remove(created[k].id);
                    }
                }
                throw new IllegalArgumentException("job id " + job.id() + " (type '" + job.type()
                        + "') is already in the store; nothing of this enqueue was stored");
            }
            created[i] = memJob;
        }
        // Pass 3 cannot fail.
        for (int i = 0; i < n; i++) {
            MemJob job = created[i];
            if (job == null) {
                results[i] = new EnqueueResult(duplicateOf[i], true);
                continue;
            }
            NewJob source = newJobs.get(i);
            job.lane = queueNamed(source.queue()).lane(source.tenant());
            if (job.uniqueKey != null) {
                uniqueKeyHolders.put(job.uniqueKey, job);
                keyHeldUntil.remove(job.uniqueKey);
                job.keyWhileWaiting = source.uniqueScope() == UniqueScope.WHILE_WAITING;
                if (source.uniqueHoldMillis() > 0) {
                    holdAfterSuccess.put(job, source.uniqueHoldMillis());
                }
            }
            held++;
            results[i] = new EnqueueResult(job.id, false);
            if (source.hasParents() && !linkParents(job, source.parents(), now)) {
                continue;
            }
            if (job.runAtMillis > now) {
                schedule(job, job.runAtMillis);
            } else {
                makeReady(job, now);
            }
        }
        return toStore > 0;
    }

    /**
     * Checks, changing nothing, that every parent is held or comes earlier in the list as a job that will be
     * stored (not a duplicate).
     */
    private void checkParents(List<NewJob> newJobs, JobId[] duplicateOf) {
        Map<JobId, Integer> positions = null;
        for (int i = 0; i < newJobs.size(); i++) {
            NewJob job = newJobs.get(i);
            if (!job.hasParents() || (duplicateOf != null && duplicateOf[i] != null)) {
                continue;
            }
            if (positions == null) {
                positions = new HashMap<>();
                for (int k = 0; k < newJobs.size(); k++) {
                    if (duplicateOf == null || duplicateOf[k] == null) {
                        positions.putIfAbsent(newJobs.get(k).id(), k);
                    }
                }
            }
            for (Dependency edge : job.parents()) {
                Integer position = positions.get(edge.parent());
                boolean earlier = position != null && position < i;
                if (!earlier && !jobs.containsKey(edge.parent())) {
                    throw new IllegalArgumentException("parent " + edge.parent() + " of job " + job.id()
                            + " (type '" + job.type() + "') is neither in the store nor earlier in this enqueue"
                            + " list; nothing of this enqueue was stored");
                }
            }
        }
    }

    /**
     * Records a new job's edges. Parents that already finished apply at once.
     *
     * @return true when every parent is resolved and the job can be scheduled; false when it is WAITING or was
     *         cancelled by a failed parent
     */
    private boolean linkParents(MemJob job, List<Dependency> parents, long now) {
        JobLinks links = new JobLinks();
        links.parents = parents;
        job.links = links;
        String cancelledBy = null;
        for (Dependency edge : parents) {
            MemJob parent = jobs.get(edge.parent());
            JobState parentState = parent.state;
            if (parentState == JobState.SUCCEEDED) {
                continue;
            }
            if (parentState == JobState.DEAD || parentState == JobState.CANCELLED) {
                if (edge.onFailure() == FailurePolicy.CANCEL_DEPENDENTS && cancelledBy == null) {
                    cancelledBy = failedParent(parent);
                }
                continue;
            }
            links.pending++;
            parentLinks(parent).addChild(job, edge.onFailure());
        }
        if (cancelledBy != null) {
            job.lastError = cancelledBy;
            enterState(job, JobState.WAITING);
            finish(job, JobState.CANCELLED, now);
            return false;
        }
        if (links.pending > 0) {
            enterState(job, JobState.WAITING);
            return false;
        }
        return true;
    }

    private static JobLinks parentLinks(MemJob parent) {
        if (parent.links == null) {
            parent.links = new JobLinks();
        }
        return parent.links;
    }

    private static String failedParent(MemJob parent) {
        return "cancelled because parent " + parent.id + " (type '" + parent.type + "') ended " + parent.state;
    }

    /**
     * Resolves or cancels the WAITING dependents of jobs that just finished, and theirs in turn, without recursion
     * so that a long chain cannot overflow the stack.
     */
    private void releaseDependents(long now) {
        releasing = true;
        try {
            MemJob parent;
            while ((parent = finishedParents.poll()) != null) {
                JobLinks links = parent.links;
                boolean failed = parent.state != JobState.SUCCEEDED;
                for (int i = 0; i < links.childCount(); i++) {
                    MemJob child = links.child(i);
                    if (child.state != JobState.WAITING) {
                        continue;
                    }
                    if (failed && links.policy(i) == FailurePolicy.CANCEL_DEPENDENTS) {
                        child.lastError = failedParent(parent);
                        finish(child, JobState.CANCELLED, now);
                    } else if (--child.links.pending == 0) {
                        if (child.runAtMillis > now) {
                            schedule(child, child.runAtMillis);
                        } else {
                            makeReady(child, now);
                        }
                        releasedToRun++;
                    }
                }
            }
        } finally {
            releasing = false;
        }
    }

    /** How many dependents became READY or SCHEDULED since the last call; resets the count. */
    int takeReleasedToRun() {
        int released = releasedToRun;
        releasedToRun = 0;
        return released;
    }

    /**
     * The job holding a unique key now, or null: a SUCCEEDED holder holds it only until its hold ends (and is
     * then forgotten).
     */
    private MemJob holderOf(String key, long now) {
        MemJob holder = uniqueKeyHolders.get(key);
        if (holder != null && holder.state == JobState.SUCCEEDED) {
            Long until = keyHeldUntil.get(key);
            if (until == null || until <= now) {
                uniqueKeyHolders.remove(key);
                keyHeldUntil.remove(key);
                return null;
            }
        }
        return holder;
    }

    /** The job when it is RUNNING under the token, else null (a fenced write is then STALE). */
    MemJob runningUnder(JobId id, long fencingToken) {
        MemJob job = jobs.get(id);
        return job != null && job.state == JobState.RUNNING && job.fencingToken == fencingToken ? job : null;
    }

    void startAttempt(MemJob job, String nodeId, long leaseExpiresAt, long now) {
        enterState(job, JobState.RUNNING);
        job.attempts++;
        job.fencingToken = ++lastFencingToken;
        job.leaseOwner = nodeId;
        job.leaseExpiresAtMillis = leaseExpiresAt;
        job.startedAtMillis = now;
        running.add(job);
        if (job.keyWhileWaiting) {
            uniqueKeyHolders.remove(job.uniqueKey, job);
            job.keyWhileWaiting = false; // a retry does not take the key back
        }
    }

    /**
     * Applies a completion to a job RUNNING under its token; see {@link Completion.Outcome}. A RETRY or RELEASED
     * completion of a job whose cancellation was requested ends it CANCELLED instead.
     *
     * @return true when the job waits to run again
     */
    boolean endAttempt(MemJob job, Completion completion, long now) {
        leaveRunning(job);
        switch (completion.outcome()) {
            case SUCCEEDED:
                job.result = completion.result();
                job.progress = 1.0;
                finish(job, JobState.SUCCEEDED, now);
                return false;
            case DEAD:
                job.lastError = completion.error();
                finish(job, JobState.DEAD, now);
                return false;
            case CANCELLED:
                job.lastError = completion.error();
                finish(job, JobState.CANCELLED, now);
                return false;
            case RETRY:
                job.lastError = completion.error();
                return waitAgain(job, completion.runAtMillis(), now, false);
            case RELEASED:
                job.attempts--;
                return waitAgain(job, completion.runAtMillis(), now, true);
            default:
                throw new IllegalStateException("unknown outcome " + completion.outcome());
        }
    }

    private boolean waitAgain(MemJob job, long runAtMillis, long now, boolean keepPlace) {
        if (job.cancelRequested) {
            finish(job, JobState.CANCELLED, now);
            return false;
        }
        if (runAtMillis > now) {
            schedule(job, runAtMillis);
        } else if (keepPlace) {
            enterState(job, JobState.READY);
            job.lane.queue.addReady(job);
        } else {
            makeReady(job, now);
        }
        return true;
    }

    /**
     * Takes back a RUNNING job whose lease expired: READY when attempts are left, else DEAD; CANCELLED when its
     * cancellation was requested.
     */
    RecoveredJob recover(MemJob job, long now) {
        String owner = job.leaseOwner;
        leaveRunning(job);
        job.lastError = "lease expired on node " + owner + " during attempt " + job.attempts;
        if (job.cancelRequested) {
            finish(job, JobState.CANCELLED, now);
        } else if (job.attempts >= job.maxAttempts) {
            finish(job, JobState.DEAD, now);
        } else {
            makeReady(job, now);
        }
        return new RecoveredJob(job.id, job.type, job.queueName(), job.attempts, job.state, owner);
    }

    /** Cancels a job that waits, or asks a running one to stop; see {@link JobStore#cancel}. */
    CancelResult cancel(MemJob job, long now) {
        switch (job.state) {
            case READY:
                job.lane.queue.removeReady(job);
                break;
            case SCHEDULED:
                job.lane.queue.scheduled.remove(job);
                break;
            case WAITING:
                break;
            case RUNNING:
                job.cancelRequested = true;
                return CancelResult.CANCEL_REQUESTED;
            default:
                return CancelResult.ALREADY_FINISHED;
        }
        finish(job, JobState.CANCELLED, now);
        return CancelResult.CANCELLED;
    }

    /** Changes the priority of a job that has not started; false for any other job. */
    boolean reprioritize(MemJob job, Priority priority) {
        switch (job.state) {
            case WAITING:
            case SCHEDULED:
                job.priority = priority;
                return true;
            case READY:
                job.priority = priority;
                job.sortKey = priority.sortKey(job.readyAtMillis, agingStepMillis);
                job.lane.queue.updateReady(job);
                return true;
            default:
                return false;
        }
    }

    /**
     * Puts a DEAD or CANCELLED job back to READY with no attempts counted, taking its unique key again; false
     * (and no change) for a job in another state or whose key another live job holds now.
     *
     * @throws StoreCapacityExceededException when the job is CANCELLED and the store is at capacity
     */
    boolean retry(MemJob job, long now) {
        if (job.state != JobState.DEAD && job.state != JobState.CANCELLED) {
            return false;
        }
        if (job.uniqueKey != null) {
            MemJob holder = holderOf(job.uniqueKey, now);
            if (holder != null && holder != job) {
                return false;
            }
        }
        if (job.state == JobState.CANCELLED) {
            if (held >= capacity) {
                throw full("cannot retry job " + job.id + " (type '" + job.type + "')");
            }
            finished.remove(job);
            held++;
        }
        if (job.uniqueKey != null) {
            uniqueKeyHolders.put(job.uniqueKey, job);
        }
        job.attempts = 0;
        job.finishedAtMillis = MemJob.NONE;
        job.result = null;
        job.cancelRequested = false;
        makeReady(job, now);
        return true;
    }

    /** Moves the queue's SCHEDULED jobs whose run-at has come to READY; each keeps its run-at as ready-at. */
    void promoteDue(MemQueue queue, long now) {
        MemJob due;
        while ((due = queue.scheduled.peek()) != null && due.runAtMillis <= now) {
            queue.scheduled.poll();
            enterState(due, JobState.READY);
            due.readyAtMillis = due.runAtMillis;
            due.sortKey = due.priority.sortKey(due.readyAtMillis, agingStepMillis);
            queue.addReady(due);
        }
    }

    MemQueue queueNamed(String name) {
        MemQueue queue = lastQueue;
        if (queue == null || !queue.name.equals(name)) {
            queue = queues.get(name);
            if (queue == null) {
                queue = new MemQueue(name);
                queues.put(name, queue);
            }
            lastQueue = queue;
        }
        return queue;
    }

    /** Moves a job to a state, keeping its queue's counts. Callers move it between heaps and chains. */
    void enterState(MemJob job, JobState state) {
        long[] counts = job.lane.queue.counts;
        if (job.state != null) {
            counts[job.state.ordinal()]--;
        }
        counts[state.ordinal()]++;
        job.state = state;
    }

    /** READY as of now (a new job, a retry that is due, a recovered or retried job). */
    void makeReady(MemJob job, long now) {
        enterState(job, JobState.READY);
        job.readyAtMillis = now;
        job.sortKey = job.priority.sortKey(now, agingStepMillis);
        job.lane.queue.addReady(job);
    }

    private void schedule(MemJob job, long runAtMillis) {
        enterState(job, JobState.SCHEDULED);
        job.runAtMillis = runAtMillis;
        job.lane.queue.scheduled.add(job);
    }

    private void leaveRunning(MemJob job) {
        running.remove(job);
        job.leaseOwner = null;
    }

    /**
     * Ends a job that is out of every queue and chain: SUCCEEDED, DEAD or CANCELLED; then resolves or cancels its
     * waiting dependents.
     */
    void finish(MemJob job, JobState state, long now) {
        enterState(job, state);
        job.finishedAtMillis = now;
        Long hold = holdAfterSuccess.isEmpty() ? null : holdAfterSuccess.remove(job);
        if (job.uniqueKey != null) {
            if (hold != null && state == JobState.SUCCEEDED && uniqueKeyHolders.get(job.uniqueKey) == job) {
                keyHeldUntil.put(job.uniqueKey, now + hold);
            } else {
                uniqueKeyHolders.remove(job.uniqueKey, job);
            }
        }
        if (state != JobState.DEAD) { // DEAD jobs are held until retried or purged
            held--;
            finished.add(job);
            while (finished.size() > retainFinished) {
                forget(finished.removeFirst());
            }
        }
        if (job.links != null && job.links.childCount() > 0) {
            finishedParents.add(job);
            if (!releasing) {
                releaseDependents(now);
            }
        }
    }

    /** Deletes a finished job (SUCCEEDED, CANCELLED or DEAD) for good: a purge. */
    void delete(MemJob job) {
        if (job.state == JobState.DEAD) {
            held--;
        } else {
            finished.remove(job);
        }
        forget(job);
    }

    /** Drops a finished job that is off every chain from the table. */
    void forget(MemJob job) {
        jobs.remove(job.id);
        job.lane.queue.counts[job.state.ordinal()]--;
        if (onForget != null) {
            onForget.accept(job.id);
        }
    }

    private StoreCapacityExceededException full(String what) {
        long dead = 0;
        for (MemQueue queue : queues.values()) {
            dead += queue.counts[JobState.DEAD.ordinal()];
        }
        return new StoreCapacityExceededException("in-memory job store is full: capacity " + capacity + " jobs, "
                + held + " held (" + dead + " of them DEAD), " + what
                + "; retry or purge DEAD jobs, raise the capacity, or slow down submissions");
    }
}
