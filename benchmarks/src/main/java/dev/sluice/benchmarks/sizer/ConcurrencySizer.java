package dev.sluice.benchmarks.sizer;

import dev.sluice.JobHandler;
import dev.sluice.Sluice;
import dev.sluice.batch.BatchHandler;
import dev.sluice.store.JobStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sizes concurrency for a user's own handler: runs it at each swept concurrency (and, for a batch handler, each
 * batch size), measures throughput, p50/p99 call latency, error rate and heap at every point, and recommends the
 * knee of the throughput curve, cross-checked by Little's law (see {@link Recommendation}, {@link LittleCheck}).
 *
 * <pre>{@code
 * SizingReport report = ConcurrencySizer.jobs(Invoice.class, new SendInvoice(), i -> new Invoice(i))
 *         .concurrency(1, 2, 4, 8, 16, 32)
 *         .build()
 *         .run();
 * System.out.println(report.table());
 * report.writeFiles(Path.of("sizing"));   // sizing.json, sizing.csv, sizing.svg
 * }</pre>
 *
 * <p>Job handlers run in a Sluice engine on the in-memory store unless {@link Builder#store} gives another, with
 * no retries; a feeding thread keeps the engine saturated. Batch handlers run in a {@code BatchProcessor} over an
 * endless record source. Each point has a warm-up and a measurement window of its own; points run one after the
 * other in this JVM, so a point's figures include what the JIT and the heap carry over from the previous ones.
 * Made by {@link #jobs} or {@link #batches}; a built sizer is immutable, {@link #run()} is not thread-safe.
 */
public final class ConcurrencySizer {

    private final String name;
    private final int[] concurrency;
    private final int[] batchSizes;
    private final Duration warmup;
    private final Duration window;
    private final double maxErrorRate;
    private final JobPointRunner<?> jobs;
    private final BatchPointRunner<?> batches;
    private final Consumer<String> log;

    private ConcurrencySizer(Builder b) {
        this.name = b.name;
        this.concurrency = b.concurrency.clone();
        this.batchSizes = b.batchSizes.clone();
        this.warmup = b.warmup;
        this.window = b.window;
        this.maxErrorRate = b.maxErrorRate;
        this.log = b.log;
        this.jobs = b.jobHandler == null ? null : b.newJobRunner();
        this.batches = b.batchHandler == null ? null : b.newBatchRunner();
    }

    /** A sizer for a job handler whose payloads are made by {@code payloads} (which may return null). */
    public static <P> Builder jobs(Class<P> payloadType, JobHandler<P> handler, PayloadFactory<? extends P> payloads) {
        Builder b = new Builder(handler.getClass().getName(), Objects.requireNonNull(payloads, "payloads"));
        b.payloadType = Objects.requireNonNull(payloadType, "payloadType");
        b.jobHandler = handler;
        return b;
    }

    /** A sizer for a batch handler whose records are made by {@code records}. */
    public static <R> Builder batches(BatchHandler<R> handler, PayloadFactory<? extends R> records) {
        Builder b = new Builder(handler.getClass().getName(), Objects.requireNonNull(records, "records"));
        b.batchHandler = handler;
        b.batchSizes = new int[] {100, 1000};
        return b;
    }

    /** Runs every point, logging each as it ends, and returns the report with its recommendation. */
    public SizingReport run() throws InterruptedException {
        List<SizingPoint> points = new ArrayList<>();
        try (HeapWatch heap = new HeapWatch()) {
            for (int batchSize : batches == null ? new int[] {0} : batchSizes) {
                for (int c : concurrency) {
                    SizingPoint p = batches == null ? jobs.run(c, warmup, window, heap)
                            : batches.run(c, batchSize, warmup, window, heap);
                    log.accept(SizingReport.describe(p));
                    points.add(p);
                }
            }
        }
        return SizingReport.of(name, batches == null ? "jobs" : "batches", points, maxErrorRate);
    }

    /** Settings of a sizer; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder {
        private String name;
        private final PayloadFactory<?> payloads;
        private Class<?> payloadType;
        private JobHandler<?> jobHandler;
        private BatchHandler<?> batchHandler;
        private int[] concurrency = {1, 2, 4, 8, 16, 32};
        private int[] batchSizes = {0};
        private Duration warmup = Duration.ofSeconds(1);
        private Duration window = Duration.ofSeconds(3);
        private double maxErrorRate = 0.01;
        private Supplier<JobStore> store;
        private Consumer<Sluice.Builder> engine = b -> { };
        private Consumer<String> log = System.out::println;

        private Builder(String name, PayloadFactory<?> payloads) {
            this.name = name;
            this.payloads = payloads;
        }

        /** Concurrency values to sweep, each 1 to 1024, ascending. Default 1, 2, 4, 8, 16, 32. */
        public Builder concurrency(int... values) {
            this.concurrency = values.clone();
            return this;
        }

        /** Batch sizes to sweep (batch handlers only), each 1 to 1,000,000. Default 100, 1000. */
        public Builder batchSizes(int... values) {
            this.batchSizes = values.clone();
            return this;
        }

        /** Time each point runs before its window starts. Default 1 s; zero or more. */
        public Builder warmup(Duration warmup) {
            this.warmup = warmup;
            return this;
        }

        /** The measurement window of each point. Default 3 s; at least 100 ms. */
        public Builder window(Duration window) {
            this.window = window;
            return this;
        }

        /** Points failing more than this share of items are not recommended. Default 0.01 (1%); 0 to 1. */
        public Builder maxErrorRate(double maxErrorRate) {
            this.maxErrorRate = maxErrorRate;
            return this;
        }

        /** A new store per point for job handlers (closed after the point). Default: the engine's in-memory store. */
        public Builder store(Supplier<JobStore> store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Further engine settings for job handlers (e.g. {@code b -> b.claimAhead(64)}), applied last. */
        public Builder engine(Consumer<Sluice.Builder> engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** What the report calls the handler. Default its class name. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Where each point's line goes as it ends. Default standard output. */
        public Builder log(Consumer<String> log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        /** @throws IllegalArgumentException naming the setting and the value when one is out of range */
        public ConcurrencySizer build() {
            checkSweep("concurrency", concurrency, 1, 1024);
            if (batchHandler != null) {
                checkSweep("batchSizes", batchSizes, 1, 1_000_000);
            }
            if (warmup == null || warmup.isNegative()) {
                throw new IllegalArgumentException("warmup must be zero or positive but was " + warmup);
            }
            if (window == null || window.toMillis() < 100) {
                throw new IllegalArgumentException("window must be at least 100 ms but was " + window);
            }
            if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) {
                throw new IllegalArgumentException("maxErrorRate must be in [0, 1] but was " + maxErrorRate);
            }
            if (batchHandler != null && store != null) {
                throw new IllegalArgumentException("store applies to job handlers only, but the handler "
                        + name + " is a batch handler");
            }
            return new ConcurrencySizer(this);
        }

        private static void checkSweep(String field, int[] values, int min, int max) {
            if (values.length == 0) {
                throw new IllegalArgumentException(field + " must list at least one value but was empty");
            }
            for (int i = 0; i < values.length; i++) {
                if (values[i] < min || values[i] > max || (i > 0 && values[i] <= values[i - 1])) {
                    throw new IllegalArgumentException(field + " must be ascending values in [" + min + ", " + max
                            + "] but was " + Arrays.toString(values));
                }
            }
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private JobPointRunner<?> newJobRunner() {
            return new JobPointRunner(payloadType, jobHandler, payloads, store, engine);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private BatchPointRunner<?> newBatchRunner() {
            return new BatchPointRunner(batchHandler, payloads);
        }
    }
}
