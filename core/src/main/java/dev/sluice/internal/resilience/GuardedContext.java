package dev.sluice.internal.resilience;

import dev.sluice.JobContext;
import dev.sluice.JobId;
import dev.sluice.JobInfo;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The context handed to handlers on an engine with named breakers or retries: the attempt's own context, plus
 * {@link #breaker} and {@link #retry}. Only made when such guards are configured, so other engines pay nothing.
 */
final class GuardedContext implements JobContext {

    private final JobContext attempt;
    private final NamedGuards guards;

    GuardedContext(JobContext attempt, NamedGuards guards) {
        this.attempt = attempt;
        this.guards = guards;
    }

    @Override
    public CircuitBreaker breaker(String name) {
        return guards.breaker(name);
    }

    @Override
    public Retry retry(String name) {
        return guards.retry(name);
    }

    @Override
    public JobId jobId() {
        return attempt.jobId();
    }

    @Override
    public String jobType() {
        return attempt.jobType();
    }

    @Override
    public String queue() {
        return attempt.queue();
    }

    @Override
    public Optional<String> tenant() {
        return attempt.tenant();
    }

    @Override
    public int attempt() {
        return attempt.attempt();
    }

    @Override
    public int maxAttempts() {
        return attempt.maxAttempts();
    }

    @Override
    public Optional<Instant> deadline() {
        return attempt.deadline();
    }

    @Override
    public void reportProgress(long done, long total) {
        attempt.reportProgress(done, total);
    }

    @Override
    public Optional<byte[]> checkpoint() {
        return attempt.checkpoint();
    }

    @Override
    public void saveCheckpoint(byte[] checkpoint) {
        attempt.saveCheckpoint(checkpoint);
    }

    @Override
    public boolean isCancelled() {
        return attempt.isCancelled();
    }

    @Override
    public boolean isLeaseLost() {
        return attempt.isLeaseLost();
    }

    @Override
    public boolean isTimedOut() {
        return attempt.isTimedOut();
    }

    @Override
    public boolean shouldStop() {
        return attempt.shouldStop();
    }

    @Override
    public void throwIfStopped() {
        attempt.throwIfStopped();
    }

    @Override
    public void succeedIn(Object transaction, Object result) {
        attempt.succeedIn(transaction, result);
    }

    @Override
    public List<JobInfo> parents() {
        return attempt.parents();
    }
}
