package dev.sluice.internal.observe;

import dev.sluice.store.Completion;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The meters of one (job type, queue) pair, resolved once so that the hot path only increments them: no
 * registry lookup, no tag array per event. Thread-safe.
 *
 * <p>The duration and wait timers are {@code FunctionTimer}s over this class's own sums by default: each
 * worker thread adds to a cell of its own (plain stores, no compare-and-set, no shared cache line), and the
 * registry sums the cells when it publishes.
 * Only with percentile histograms on are they full {@code Timer}s (a record per attempt, with max and buckets):
 * that measured about 20% of EngineThroughputBenchmark's no-op job rate (see benchmarks/RESULTS.md).
 */
public final class JobMeters {

    private static final String DURATION = "sluice.jobs.duration";
    private static final String DURATION_TEXT = "Time an attempt ran on a worker";
    private static final String WAIT = "sluice.jobs.wait";
    private static final String WAIT_TEXT = "Time from ready (submit, run-at or retry time) to the start of the attempt";

    public final String type;
    public final String queue;
    public final Counter submitted;
    private final Counter succeeded;
    private final Counter failed;
    private final Counter dead;
    private final Counter cancelled;
    private final Counter released;
    private final Counter retries;
    /** Full timers, only when percentile histograms are on; null otherwise. */
    private final Timer duration;
    private final Timer wait;
    /** Own sums per worker thread: the default timers read them, and so does the health window. */
    private final List<AttemptCell> cells = new CopyOnWriteArrayList<>();
    private final ThreadLocal<AttemptCell> cell = ThreadLocal.withInitial(this::newCell);

    public JobMeters(MeterRegistry registry, String type, String queue, boolean timers, boolean histograms) {
        this.type = type;
        this.queue = queue;
        Tags tags = Tags.of("type", type, "queue", queue);
        submitted = Counter.builder("sluice.jobs.submitted").tags(tags)
                .description("Jobs stored by submit (duplicates of unique keys excluded)").register(registry);
        succeeded = completed(registry, tags, "succeeded");
        failed = completed(registry, tags, "failed");
        dead = completed(registry, tags, "dead");
        cancelled = completed(registry, tags, "cancelled");
        released = completed(registry, tags, "released");
        retries = Counter.builder("sluice.jobs.retries").tags(tags)
                .description("Attempts started after the first one").register(registry);
        if (timers && histograms) {
            duration = Timer.builder(DURATION).tags(tags).publishPercentileHistogram(true)
                    .description(DURATION_TEXT).register(registry);
            wait = Timer.builder(WAIT).tags(tags).publishPercentileHistogram(true)
                    .description(WAIT_TEXT).register(registry);
        } else {
            duration = null;
            wait = null;
            if (timers) {
                FunctionTimer.builder(DURATION, this, JobMeters::attempts, JobMeters::attemptNanos,
                        TimeUnit.NANOSECONDS).tags(tags).description(DURATION_TEXT).register(registry);
                FunctionTimer.builder(WAIT, this, JobMeters::attempts, JobMeters::waitMillis,
                        TimeUnit.MILLISECONDS).tags(tags).description(WAIT_TEXT).register(registry);
            }
        }
    }

    private static Counter completed(MeterRegistry registry, Tags tags, String outcome) {
        return Counter.builder("sluice.jobs.completed").tags(tags).tag("outcome", outcome)
                .description("Attempts ended, by outcome").register(registry);
    }

    /** An attempt whose handler ran ended on a worker. */
    public void attemptRan(int attempt, long waitedMillis, long runNanos) {
        long waited = Math.max(0, waitedMillis);
        cell.get().add(runNanos, waited);
        if (attempt > 1) {
            retries.increment();
        }
        if (duration != null) {
            duration.record(runNanos, TimeUnit.NANOSECONDS);
            wait.record(waited, TimeUnit.MILLISECONDS);
        }
    }

    /** A completion was written (accepted by the store). */
    public void completed(Completion.Outcome outcome) {
        switch (outcome) {
            case SUCCEEDED:
                succeeded.increment();
                break;
            case RETRY:
                failed.increment();
                break;
            case DEAD:
                dead.increment();
                break;
            case CANCELLED:
                cancelled.increment();
                break;
            case RELEASED:
                released.increment();
                break;
            default:
                throw new IllegalStateException("unknown outcome " + outcome);
        }
    }

    /** Adds this pair's totals to a sample being built. */
    void addTo(NodeSample.Builder sample) {
        sample.submitted += (long) submitted.count();
        sample.succeeded += (long) succeeded.count();
        sample.failed += (long) failed.count();
        sample.dead += (long) dead.count();
        sample.attempts += attempts();
        sample.attemptNanos += (long) attemptNanos();
    }

    private AttemptCell newCell() {
        AttemptCell c = new AttemptCell();
        cells.add(c);
        return c;
    }

    private long attempts() {
        long n = 0;
        for (AttemptCell c : cells) {
            n += (long) COUNT.getOpaque(c);
        }
        return n;
    }

    private double attemptNanos() {
        long n = 0;
        for (AttemptCell c : cells) {
            n += (long) NANOS.getOpaque(c);
        }
        return n;
    }

    private double waitMillis() {
        long n = 0;
        for (AttemptCell c : cells) {
            n += (long) WAITED.getOpaque(c);
        }
        return n;
    }

    private static final VarHandle COUNT;
    private static final VarHandle NANOS;
    private static final VarHandle WAITED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            COUNT = lookup.findVarHandle(AttemptCell.class, "count", long.class);
            NANOS = lookup.findVarHandle(AttemptCell.class, "nanos", long.class);
            WAITED = lookup.findVarHandle(AttemptCell.class, "waitedMillis", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * One worker thread's sums. Only its thread writes (opaque stores: plain on x86, never torn); readers sum
     * the cells, so a total may trail the latest attempts by a moment but never goes down.
     */
    private static final class AttemptCell {
        long count;
        long nanos;
        long waitedMillis;

        void add(long runNanos, long waited) {
            NANOS.setOpaque(this, nanos + runNanos);
            WAITED.setOpaque(this, waitedMillis + waited);
            COUNT.setOpaque(this, count + 1);
        }
    }
}
