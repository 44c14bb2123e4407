package dev.sluice.internal.engine;

import dev.sluice.JobEvent;
import dev.sluice.PayloadCodec;
import dev.sluice.RetryPolicy;
import dev.sluice.internal.cache.ResultCaches;
import dev.sluice.internal.resilience.AttemptGuards;
import dev.sluice.internal.resilience.Deferral;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.TransactionalCompletion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPMDCAdapter;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one attempt on the calling worker thread and turns its end into a {@link Completion}: success, retry
 * with backoff, DEAD (attempts spent, non-retryable error, undecodable payload), cancelled, or handed back
 * (shutdown). Before the handler runs, a cached result of the job's key ends it SUCCEEDED at once, and the
 * {@link AttemptGuards} (the type's breaker, rate limits) may defer it: hand it back for later without counting
 * the attempt. Whatever the handler throws, Errors included, stays here: a worker thread never dies of a job.
 */
final class AttemptRunner {

    private static final Logger log = LoggerFactory.getLogger(AttemptRunner.class);

    private final Map<String, RegisteredHandler> handlers;
    private final RetryPolicy defaultRetry;
    private final long defaultTimeoutMillis;
    private final PayloadCodec codec;
    private final Clock clock;
    private final ScheduledExecutorService timeouts;
    private final CompletionBatcher completions;
    private final Listeners listeners;
    private final String nodeId;
    private final AttemptGuards guards;
    private final ResultCaches caches;
    private final TransactionalCompletion<Object> transactionalCompletion;

    AttemptRunner(Map<String, RegisteredHandler> handlers, RetryPolicy defaultRetry, long defaultTimeoutMillis,
                  PayloadCodec codec, Clock clock, ScheduledExecutorService timeouts,
                  CompletionBatcher completions, Listeners listeners, String nodeId, AttemptGuards guards,
                  ResultCaches caches, TransactionalCompletion<Object> transactionalCompletion) {
        this.handlers = handlers;
        this.defaultRetry = defaultRetry;
        this.defaultTimeoutMillis = defaultTimeoutMillis;
        this.codec = codec;
        this.clock = clock;
        this.timeouts = timeouts;
        this.completions = completions;
        this.listeners = listeners;
        this.nodeId = nodeId;
        this.guards = guards;
        this.caches = caches;
        this.transactionalCompletion = transactionalCompletion;
    }

    void run(RunningJob job) {
        ClaimedJob c = job.claimed;
        if (job.leaseLost) {
            completions.forget(job); // another node owns it now; nothing of ours to record
            return;
        }
        if (job.cancelled) {
            completions.add(job, Completion.cancelled(c.id(), c.fencingToken(), "cancelled before it started"));
            return;
        }
        if (job.abandoned) {
            completions.add(job, Completion.releasedNow(c.id(), c.fencingToken()));
            return;
        }
        RegisteredHandler handler = handlers.get(c.type());
        RetryPolicy retry = RegisteredHandler.retryPolicyOf(handler, defaultRetry);
        if (handler == null) {
            failed(job, retry, new IllegalStateException("no handler registered for job type '" + c.type()
                    + "' on node " + nodeId), true);
            return;
        }
        Object payload;
        try {
            payload = codec.decode(c.payload(), handler.payloadType());
        } catch (RuntimeException | LinkageError e) {
            // Retrying cannot make the same bytes decode: DEAD at once, with the reason kept on the job.
            completions.add(job, Completion.dead(c.id(), c.fencingToken(), "payload cannot be decoded as "
                    + handler.payloadType().getName() + ": " + ErrorText.of(e)));
            return;
        }
        String cacheKey = caches.isEmpty() ? null : caches.keyOf(c.type(), c.payload(), payload);
        if (cacheKey != null) {
            ResultCaches.CachedResult hit = caches.lookup(c.type(), cacheKey);
            if (hit != null) {
                completions.add(job, Completion.succeeded(c.id(), c.fencingToken(), hit.bytes()));
                return;
            }
        }
        boolean guarded = !guards.isEmpty();
        if (guarded) {
            Deferral deferral = guards.admit(c.type(), c.queue());
            if (deferral != null) {
                completions.addDeferred(job, Completion.released(c.id(), c.fencingToken(),
                        clock.millis() + deferral.delayMillis()), deferral.reason());
                return;
            }
        }
        long timeoutMillis = c.timeoutMillis() > 0 ? c.timeoutMillis()
                : handler.timeoutMillis() > 0 ? handler.timeoutMillis() : defaultTimeoutMillis;
        Object result = null;
        Throwable error = null;
        job.codec = codec;
        job.transactionalCompletion = transactionalCompletion;
        job.beginHandler(Thread.currentThread());
        if (timeoutMillis > 0) {
            job.deadlineMillis = clock.millis() + timeoutMillis;
            job.timeoutTask = timeouts.schedule(() -> {
                job.timedOut = true;
                job.interruptHandler();
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }
        listeners.fire(JobEvent.Kind.STARTED, c.id(), c.type(), c.queue(), c.attempt(), null);
        // With a logging backend that drops MDC (NOP adapter), skip building the id text for every attempt.
        boolean mdc = !(MDC.getMDCAdapter() instanceof NOPMDCAdapter);
        if (mdc) {
            MDC.put("sluice.jobId", c.id().toString());
            MDC.put("sluice.jobType", c.type());
            MDC.put("sluice.attempt", Integer.toString(c.attempt()));
        }
        long startNanos = guarded ? System.nanoTime() : 0;
        try {
            result = handler.handler().handle(payload, guards.contextFor(job));
        } catch (Throwable t) {
            error = t;
            if (t instanceof VirtualMachineError) {
                log.error("job {} of type '{}' threw {}", c.id(), c.type(), t.toString());
            }
        } finally {
            job.endHandler();
            if (job.timeoutTask != null) {
                job.timeoutTask.cancel(false);
            }
            // Clear an interrupt aimed at this attempt so that it cannot hit the worker's next job.
            Thread.interrupted();
            if (mdc) {
                MDC.remove("sluice.jobId");
                MDC.remove("sluice.jobType");
                MDC.remove("sluice.attempt");
            }
        }
        if (guarded) {
            judge(job, retry, error, System.nanoTime() - startNanos);
        }
        Completion inTransaction = job.completedInTransaction;
        if (inTransaction != null && error == null) {
            // The handler wrote its own completion: whether its transaction committed decides the job's end.
            completions.addWritten(job, inTransaction);
        } else if (error == null && !job.timedOut) {
            succeeded(job, result, cacheKey);
        } else if (job.abandoned) {
            completions.add(job, Completion.releasedNow(c.id(), c.fencingToken()));
        } else if (job.cancelled) {
            completions.add(job, Completion.cancelled(c.id(), c.fencingToken(), "cancelled while running"
                    + (error != null ? " (" + ErrorText.of(error) + ")" : "")));
        } else if (job.timedOut) {
            job.attemptFailed = true;
            failed(job, retry, new dev.sluice.JobTimeoutException("attempt " + c.attempt() + " of job " + c.id()
                    + " ran past its timeout of " + timeoutMillis + " ms"), false);
        } else {
            job.attemptFailed = true;
            failed(job, retry, error, false);
        }
    }

    /** Records the attempt on its type's breaker: successes and failures that say something of the downstream. */
    private void judge(RunningJob job, RetryPolicy retry, Throwable error, long nanos) {
        String type = job.claimed.type();
        if (error == null && !job.timedOut) {
            guards.succeeded(type, nanos);
        } else if (job.abandoned || job.cancelled || job.leaseLost) {
            guards.notJudged(type);
        } else if (job.timedOut) {
            guards.failed(type, nanos, new dev.sluice.JobTimeoutException("attempt ran past its timeout"));
        } else if (retry.isRetryable(error)) {
            guards.failed(type, nanos, error);
        } else {
            guards.notJudged(type);
        }
    }

    private void succeeded(RunningJob job, Object result, String cacheKey) {
        ClaimedJob c = job.claimed;
        byte[] bytes;
        try {
            bytes = result == null ? null : codec.encode(result);
        } catch (RuntimeException | LinkageError e) {
            completions.add(job, Completion.dead(c.id(), c.fencingToken(), "result of type "
                    + result.getClass().getName() + " cannot be encoded: " + ErrorText.of(e)));
            return;
        }
        if (cacheKey != null) {
            caches.put(c.type(), cacheKey, bytes);
        }
        completions.add(job, Completion.succeeded(c.id(), c.fencingToken(), bytes));
    }

    private void failed(RunningJob job, RetryPolicy retry, Throwable error, boolean forceRetryable) {
        ClaimedJob c = job.claimed;
        String text = ErrorText.of(error);
        boolean retryable = forceRetryable || retry.isRetryable(error);
        if (retryable && c.attempt() < c.maxAttempts()) {
            long runAt = clock.millis() + retry.backoffAfter(c.attempt()).toMillis();
            completions.add(job, Completion.retry(c.id(), c.fencingToken(), text, runAt));
        } else {
            String reason = retryable ? text + " (attempt " + c.attempt() + " of " + c.maxAttempts() + ")"
                    : text + " (not retryable)";
            completions.add(job, Completion.dead(c.id(), c.fencingToken(), reason));
        }
    }
}
