package dev.sluice.redis;

import dev.sluice.JobId;
import dev.sluice.UniqueScope;
import dev.sluice.graph.FailurePolicy;
import dev.sluice.store.Dependency;
import dev.sluice.store.EnqueueResult;
import dev.sluice.store.NewJob;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * One call of enqueue.lua: a list of jobs, optionally as one fire of a recurring job. Payload sizes are checked
 * before anything is sent.
 */
final class EnqueueCall {

    private static final String NO_SCHEDULE = "";

    private final ScriptRunner scripts;
    private final Clock clock;
    private final int retainFinished;
    private final int maxPayloadBytes;

    EnqueueCall(ScriptRunner scripts, Clock clock, int retainFinished, int maxPayloadBytes) {
        this.scripts = scripts;
        this.clock = clock;
        this.retainFinished = retainFinished;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    List<EnqueueResult> enqueue(List<NewJob> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        return run(NO_SCHEDULE, 0, jobs);
    }

    /** The results of the fire's enqueue, or null when the fire is not later than the schedule's latest. */
    List<EnqueueResult> enqueueFire(String scheduleId, long fireTimeMillis, NewJob job) {
        Objects.requireNonNull(scheduleId, "scheduleId");
        Objects.requireNonNull(job, "job");
        if (scheduleId.isEmpty()) {
            throw new IllegalArgumentException("scheduleId must not be empty (job " + job.id() + ")");
        }
        List<EnqueueResult> results = run(scheduleId, fireTimeMillis, List.of(job));
        return results.isEmpty() ? null : results;
    }

    private List<EnqueueResult> run(String scheduleId, long fireTimeMillis, List<NewJob> jobs) {
        int n = jobs.size();
        Args args = new Args(5 + n * 14).now(clock).add(retainFinished).add(scheduleId).add(fireTimeMillis).add(n);
        for (NewJob job : jobs) {
            checkPayload(job, maxPayloadBytes);
            args.add(job.id().toString()).add(job.type()).add(job.queue()).add(job.priority().weight())
                    .add(job.payload()).add(job.runAtMillis()).add(job.maxAttempts()).add(job.timeoutMillis())
                    .add(job.uniqueKey()).add(job.tenant()).add(job.createdAtMillis())
                    .add(job.uniqueScope() == UniqueScope.WHILE_WAITING ? "W" : "").add(job.uniqueHoldMillis())
                    .add(job.parents().size());
            if (job.hasParents()) {
                addParents(args, job);
            }
        }
        List<Object> reply = scripts.runList(Script.ENQUEUE, args.toArray());
        if (reply.isEmpty()) {
            return List.of();
        }
        EnqueueResult[] results = new EnqueueResult[n];
        for (int i = 0; i < n; i++) {
            String holder = Replies.toStringOrNull(reply.get(i));
            results[i] = holder == null ? new EnqueueResult(jobs.get(i).id(), false)
                    : new EnqueueResult(JobId.parse(holder), true);
        }
        return List.of(results);
    }

    /** Refuses a payload larger than {@code maxPayloadBytes}, naming the job. */
    static void checkPayload(NewJob job, int maxPayloadBytes) {
        Objects.requireNonNull(job, "null job in the enqueue list");
        if (job.payload().length > maxPayloadBytes) {
            throw new IllegalArgumentException("payload of job " + job.id() + " (type '" + job.type() + "') is "
                    + job.payload().length + " bytes, more than maxPayloadBytes " + maxPayloadBytes
                    + "; nothing of this enqueue was stored");
        }
    }

    private static void addParents(Args args, NewJob job) {
        for (Dependency edge : job.parents()) {
            args.add(edge.parent().toString()).add(policyCode(edge.onFailure()));
        }
    }

    /** The one-letter code of a failure policy in the store's edges (see README.md, "Key layout"). */
    static String policyCode(FailurePolicy policy) {
        switch (policy) {
            case CANCEL_DEPENDENTS:
                return "C";
            case RUN_DEPENDENTS:
                return "R";
            case IGNORE:
                return "I";
            default:
                throw new IllegalArgumentException("unknown failure policy " + policy);
        }
    }

    /** The failure policy of a code written by {@link #policyCode} (either case: lower-case once applied). */
    static FailurePolicy policyOf(char code) {
        switch (Character.toUpperCase(code)) {
            case 'C':
                return FailurePolicy.CANCEL_DEPENDENTS;
            case 'R':
                return FailurePolicy.RUN_DEPENDENTS;
            case 'I':
                return FailurePolicy.IGNORE;
            default:
                throw new IllegalStateException("unknown failure policy code '" + code + "' in a stored edge");
        }
    }
}
