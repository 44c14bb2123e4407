package dev.sluice.internal.engine;

import dev.sluice.JobEvent;
import dev.sluice.PayloadCodec;
import dev.sluice.RetryPolicy;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
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
 * (shutdown). Whatever the handler throws, Errors included, stays here: a worker thread never dies of a job.
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

    AttemptRunner(Map<String, RegisteredHandler> handlers, RetryPolicy defaultRetry, long defaultTimeoutMillis,
                  PayloadCodec codec, Clock clock, ScheduledExecutorService timeouts,
                  CompletionBatcher completions, Listeners listeners, String nodeId) {
        this.handlers = handlers;
        this.defaultRetry = defaultRetry;
        this.defaultTimeoutMillis = defaultTimeoutMillis;
        this.codec = codec;
        this.clock = clock;
        this.timeouts = timeouts;
        this.completions = completions;
        this.listeners = listeners;
        this.nodeId = nodeId;
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
            completions.add(job, Completion.released(c.id(), c.fencingToken(), clock.millis()));
            return;
        }
        RegisteredHandler handler = handlers.get(c.type());
        RetryPolicy retry = handler != null && handler.retryPolicy() != null ? handler.retryPolicy() : defaultRetry;
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
        long timeoutMillis = c.timeoutMillis() > 0 ? c.timeoutMillis()
                : handler.timeoutMillis() > 0 ? handler.timeoutMillis() : defaultTimeoutMillis;
        Object result = null;
        Throwable error = null;
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
        try {
            result = handler.handler().handle(payload, job);
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
        if (error == null && !job.timedOut) {
            succeeded(job, result);
        } else if (job.abandoned) {
            completions.add(job, Completion.released(c.id(), c.fencingToken(), clock.millis()));
        } else if (job.cancelled) {
            completions.add(job, Completion.cancelled(c.id(), c.fencingToken(), "cancelled while running"
                    + (error != null ? " (" + ErrorText.of(error) + ")" : "")));
        } else if (job.timedOut) {
            failed(job, retry, new dev.sluice.JobTimeoutException("attempt " + c.attempt() + " of job " + c.id()
                    + " ran past its timeout of " + timeoutMillis + " ms"), false);
        } else {
            failed(job, retry, error, false);
        }
    }

    private void succeeded(RunningJob job, Object result) {
        ClaimedJob c = job.claimed;
        byte[] bytes;
        try {
            bytes = result == null ? null : codec.encode(result);
        } catch (RuntimeException | LinkageError e) {
            completions.add(job, Completion.dead(c.id(), c.fencingToken(), "result of type "
                    + result.getClass().getName() + " cannot be encoded: " + ErrorText.of(e)));
            return;
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
