package dev.sluice.internal.engine;

import dev.sluice.JobCancelledException;
import dev.sluice.JobContext;
import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.PayloadCodec;
import dev.sluice.SluiceException;
import dev.sluice.internal.graph.ParentReader;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.JobStore;
import dev.sluice.store.ProgressUpdate;
import dev.sluice.store.TransactionalCompletion;
import dev.sluice.store.WriteResult;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

/**
 * One claimed job on this node, from claim to written completion, and the {@link JobContext} of its attempt.
 * Flags are volatile because the lease keeper, the timeout watchdog and cancel calls set them from other
 * threads; interrupts go through {@link #interruptHandler()} so that a late interrupt never hits the worker
 * thread after it moved on to another job.
 */
final class RunningJob implements JobContext {

    final ClaimedJob claimed;
    final QueueWorkers queue;
    private final JobStore store;

    private Thread handlerThread;
    private boolean handlerDone;
    volatile boolean started;
    /** Set by the worker when the handler threw or timed out (not cancelled or handed back); read by it too. */
    boolean attemptFailed;
    volatile boolean cancelled;
    volatile boolean leaseLost;
    volatile boolean timedOut;
    /** Set when shutdown interrupts the handler: the attempt is handed back, not counted as a failure. */
    volatile boolean abandoned;
    /** Set once the attempt's completion is queued for writing; a LOST renewal after that is no news. */
    volatile boolean completionQueued;
    volatile long deadlineMillis;
    volatile double progress;
    volatile boolean progressDirty;
    ScheduledFuture<?> timeoutTask;
    /** The checkpoint as last read or saved by this attempt; guarded by {@code this}. */
    private byte[] checkpoint;
    private boolean checkpointKnown;
    /** The engine's codec, for {@link #parents()}; set by the runner before the handler starts. */
    PayloadCodec codec;
    /** The store's transactional completion, or null when it has none; set by the runner. */
    TransactionalCompletion<Object> transactionalCompletion;
    /** The completion written by {@link #succeedIn}, or null. */
    volatile Completion completedInTransaction;
    /** The parents as first read by this attempt; guarded by {@code this}. */
    private List<JobInfo> parents;

    RunningJob(ClaimedJob claimed, QueueWorkers queue, JobStore store) {
        this.claimed = claimed;
        this.queue = queue;
        this.store = store;
    }

    @Override
    public void succeedIn(Object transaction, Object result) {
        Objects.requireNonNull(transaction, "transaction");
        TransactionalCompletion<Object> target = transactionalCompletion;
        if (target == null) {
            throw new IllegalStateException("the store cannot complete jobs inside a caller's transaction; use a "
                    + "store that implements TransactionalCompletion (the JDBC store does)");
        }
        if (!target.transactionType().isInstance(transaction)) {
            throw new IllegalArgumentException("this store takes a transaction of type "
                    + target.transactionType().getName() + " but was given a " + transaction.getClass().getName());
        }
        if (completedInTransaction != null) {
            throw new IllegalStateException("job " + claimed.id() + " was already completed in a transaction");
        }
        byte[] bytes = result == null ? null : codec.encode(result);
        Completion completion = Completion.succeeded(claimed.id(), claimed.fencingToken(), bytes);
        List<WriteResult> written = target.completeAll(transaction, List.of(completion));
        if (written.get(0) != WriteResult.ACCEPTED) {
            leaseLost = true;
            throw new SluiceException("job " + claimed.id() + " is no longer held by this attempt (lease lost, "
                    + "token " + claimed.fencingToken() + "): roll back the transaction");
        }
        completedInTransaction = completion;
    }

    synchronized void beginHandler(Thread thread) {
        this.handlerThread = thread;
        this.started = true;
    }

    /** Ends the handler window; after this no interrupt is aimed at the thread for this job. */
    synchronized void endHandler() {
        this.handlerDone = true;
        this.handlerThread = null;
    }

    synchronized boolean isHandlerRunning() {
        return handlerThread != null && !handlerDone;
    }

    /** Interrupts the handler's thread if the handler is still running. */
    synchronized void interruptHandler() {
        if (handlerThread != null && !handlerDone) {
            handlerThread.interrupt();
        }
    }

    @Override
    public JobId jobId() {
        return claimed.id();
    }

    @Override
    public String jobType() {
        return claimed.type();
    }

    @Override
    public String queue() {
        return claimed.queue();
    }

    @Override
    public Optional<String> tenant() {
        return Optional.ofNullable(claimed.tenant());
    }

    @Override
    public int attempt() {
        return claimed.attempt();
    }

    @Override
    public int maxAttempts() {
        return claimed.maxAttempts();
    }

    @Override
    public Optional<Instant> deadline() {
        long d = deadlineMillis;
        return d == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(d));
    }

    @Override
    public void reportProgress(long done, long total) {
        if (done < 0 || total < 0 || done > total) {
            throw new IllegalArgumentException("progress must satisfy 0 <= done <= total but was done=" + done
                    + ", total=" + total + " for job " + claimed.id());
        }
        progress = total == 0 ? 1.0 : (double) done / total;
        progressDirty = true;
    }

    @Override
    public synchronized Optional<byte[]> checkpoint() {
        if (!checkpointKnown) {
            checkpoint = store.find(claimed.id()).map(j -> j.checkpoint()).orElse(null);
            checkpointKnown = true;
        }
        return Optional.ofNullable(checkpoint);
    }

    @Override
    public synchronized void saveCheckpoint(byte[] bytes) {
        Objects.requireNonNull(bytes, "checkpoint");
        // Written at once rather than with the lease keeper's coalesced progress: a caller (the batch
        // processor) counts a unit of work as committed only once its checkpoint is durable.
        List<WriteResult> results = store.saveProgress(
                List.of(new ProgressUpdate(claimed.id(), claimed.fencingToken(), progress, bytes)));
        if (results.get(0) == WriteResult.STALE) {
            leaseLost = true;
            throw new JobCancelledException("checkpoint of job " + claimed.id()
                    + " refused: this node lost its lease; another node may run it");
        }
        checkpoint = bytes;
        checkpointKnown = true;
    }

    @Override
    public synchronized List<JobInfo> parents() {
        if (parents == null) {
            parents = ParentReader.read(store, codec, claimed.id());
        }
        return parents;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public boolean isLeaseLost() {
        return leaseLost;
    }

    @Override
    public boolean isTimedOut() {
        return timedOut;
    }

    @Override
    public void throwIfStopped() {
        if (cancelled) {
            throw new JobCancelledException("job " + claimed.id() + " was cancelled");
        }
        if (leaseLost) {
            throw new JobCancelledException("job " + claimed.id() + " lost its lease; another node may run it");
        }
        if (timedOut) {
            throw new JobCancelledException("job " + claimed.id() + " ran past its timeout");
        }
        if (abandoned) {
            throw new JobCancelledException("job " + claimed.id() + " was stopped by shutdown");
        }
    }
}
