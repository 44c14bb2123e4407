package dev.sluice.batch;

import dev.sluice.NonRetryableException;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * How a {@link BatchProcessor} runs. Immutable; made by {@link #builder()}, whose {@link Builder#build()} rejects
 * bad values with an {@link IllegalArgumentException} naming the field and the value.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><td>batchSize</td><td>1000</td><td>records per batch, 1 to 1,000,000</td></tr>
 *   <tr><td>concurrency</td><td>4</td><td>batches processed at once, 1 to 1024</td></tr>
 *   <tr><td>progressInterval</td><td>2 s</td><td>at most one progress report per interval (0: every batch)</td></tr>
 *   <tr><td>failureThresholdPercent</td><td>10</td><td>0 to 100: the run stops FAILED once failed records
 *       are more than this percent of processed records</td></tr>
 *   <tr><td>failureThresholdMinRecords</td><td>1000</td><td>processed records needed before the threshold is
 *       checked</td></tr>
 *   <tr><td>maxRetriesPerBatch</td><td>3</td><td>retries of a batch that threw a transient error</td></tr>
 *   <tr><td>retryBackoff</td><td>100 ms, ×2, max 10 s, jitter 0.5</td><td>the n-th retry waits
 *       min(initial × 2^(n-1), max) ± jitter</td></tr>
 *   <tr><td>transientErrors</td><td>{@link #DEFAULT_TRANSIENT}</td><td>which errors a retry may cure</td></tr>
 *   <tr><td>maxFailuresInReport</td><td>100</td><td>failed records and failed batches listed in the report
 *       (each list); counts are always exact</td></tr>
 * </table>
 */
public final class BatchConfig {

    /**
     * The default classification: an error is transient when it or a cause is an {@link IOException},
     * {@link UncheckedIOException}, {@link TimeoutException}, {@link SQLTransientException} or
     * {@link SQLRecoverableException}, and none is a {@link NonRetryableException}. Anything else is permanent.
     */
    public static final Predicate<Throwable> DEFAULT_TRANSIENT = BatchConfig::isTransientByDefault;

    private static final BatchConfig DEFAULTS = builder().build();

    private final int batchSize;
    private final int concurrency;
    private final Duration progressInterval;
    private final double failureThresholdPercent;
    private final long failureThresholdMinRecords;
    private final int maxRetriesPerBatch;
    private final Duration retryInitialBackoff;
    private final Duration retryMaxBackoff;
    private final double retryJitter;
    private final Predicate<Throwable> transientErrors;
    private final int maxFailuresInReport;
    private final Consumer<BatchProgress> onProgress;
    private final Consumer<BatchReport> onComplete;
    private final Clock clock;
    private final BatchMeters meters;

    private BatchConfig(Builder b) {
        this.batchSize = b.batchSize;
        this.concurrency = b.concurrency;
        this.progressInterval = b.progressInterval;
        this.failureThresholdPercent = b.failureThresholdPercent;
        this.failureThresholdMinRecords = b.failureThresholdMinRecords;
        this.maxRetriesPerBatch = b.maxRetriesPerBatch;
        this.retryInitialBackoff = b.retryInitialBackoff;
        this.retryMaxBackoff = b.retryMaxBackoff;
        this.retryJitter = b.retryJitter;
        this.transientErrors = b.transientErrors;
        this.maxFailuresInReport = b.maxFailuresInReport;
        this.onProgress = b.onProgress;
        this.onComplete = b.onComplete;
        this.clock = b.clock;
        this.meters = b.registry == null ? null : new BatchMeters(b.registry, b.metricsName);
    }

    /** The defaults of the table above. */
    public static BatchConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int batchSize() {
        return batchSize;
    }

    public int concurrency() {
        return concurrency;
    }

    public Duration progressInterval() {
        return progressInterval;
    }

    public double failureThresholdPercent() {
        return failureThresholdPercent;
    }

    public long failureThresholdMinRecords() {
        return failureThresholdMinRecords;
    }

    public int maxRetriesPerBatch() {
        return maxRetriesPerBatch;
    }

    public Duration retryInitialBackoff() {
        return retryInitialBackoff;
    }

    public Duration retryMaxBackoff() {
        return retryMaxBackoff;
    }

    public double retryJitter() {
        return retryJitter;
    }

    /** True when a retry may cure {@code error}. */
    public boolean isTransient(Throwable error) {
        return transientErrors.test(error);
    }

    public int maxFailuresInReport() {
        return maxFailuresInReport;
    }

    Consumer<BatchProgress> onProgress() {
        return onProgress;
    }

    Consumer<BatchReport> onComplete() {
        return onComplete;
    }

    /** The meters of this config's runs, or null when no registry was given. */
    BatchMeters meters() {
        return meters;
    }

    Clock clock() {
        return clock;
    }

    private static boolean isTransientByDefault(Throwable error) {
        boolean transientCause = false;
        int depth = 0;
        for (Throwable t = error; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof NonRetryableException) {
                return false;
            }
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof TimeoutException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                transientCause = true;
            }
        }
        return transientCause;
    }

    @Override
    public String toString() {
        return "BatchConfig{batchSize=" + batchSize + ", concurrency=" + concurrency + ", progressInterval="
                + progressInterval + ", failureThresholdPercent=" + failureThresholdPercent
                + ", failureThresholdMinRecords=" + failureThresholdMinRecords + ", maxRetriesPerBatch="
                + maxRetriesPerBatch + ", retryInitialBackoff=" + retryInitialBackoff + ", retryMaxBackoff="
                + retryMaxBackoff + ", retryJitter=" + retryJitter + ", maxFailuresInReport=" + maxFailuresInReport
                + '}';
    }

    /** Builds a {@link BatchConfig}. Not thread-safe; {@link #build()} may be called again after changes. */
    public static final class Builder {
        private int batchSize = 1000;
        private int concurrency = 4;
        private Duration progressInterval = Duration.ofSeconds(2);
        private double failureThresholdPercent = 10;
        private long failureThresholdMinRecords = 1000;
        private int maxRetriesPerBatch = 3;
        private Duration retryInitialBackoff = Duration.ofMillis(100);
        private Duration retryMaxBackoff = Duration.ofSeconds(10);
        private double retryJitter = 0.5;
        private Predicate<Throwable> transientErrors = DEFAULT_TRANSIENT;
        private int maxFailuresInReport = 100;
        private Consumer<BatchProgress> onProgress;
        private Consumer<BatchReport> onComplete;
        private Clock clock = Clock.systemUTC();
        private MeterRegistry registry;
        private String metricsName;

        private Builder() {
        }

        /** Records per batch, 1 to 1,000,000. Default 1000. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Batches processed at once (and held in memory, plus one being read), 1 to 1024. Default 4. */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /** Least time between two progress reports; zero reports after every batch. Default 2 s. */
        public Builder progressInterval(Duration progressInterval) {
            this.progressInterval = progressInterval;
            return this;
        }

        /** Percent of failed records (0 to 100) above which the run stops FAILED. Default 10. */
        public Builder failureThresholdPercent(double failureThresholdPercent) {
            this.failureThresholdPercent = failureThresholdPercent;
            return this;
        }

        /** Processed records needed before the threshold is checked, at least 0. Default 1000. */
        public Builder failureThresholdMinRecords(long failureThresholdMinRecords) {
            this.failureThresholdMinRecords = failureThresholdMinRecords;
            return this;
        }

        /** Retries of a batch after a transient error, 0 to 100. Default 3. */
        public Builder maxRetriesPerBatch(int maxRetriesPerBatch) {
            this.maxRetriesPerBatch = maxRetriesPerBatch;
            return this;
        }

        /** Backoff of retries: initial wait (positive), longest wait (not shorter), jitter in [0, 1). */
        public Builder retryBackoff(Duration initial, Duration max, double jitter) {
            this.retryInitialBackoff = initial;
            this.retryMaxBackoff = max;
            this.retryJitter = jitter;
            return this;
        }

        /** Which errors are transient (retried); see {@link #DEFAULT_TRANSIENT}. */
        public Builder transientErrors(Predicate<Throwable> transientErrors) {
            this.transientErrors = Objects.requireNonNull(transientErrors, "transientErrors");
            return this;
        }

        /** Failed records, and failed batches, listed in the report, 0 to 100,000 each. Default 100. */
        public Builder maxFailuresInReport(int maxFailuresInReport) {
            this.maxFailuresInReport = maxFailuresInReport;
            return this;
        }

        /**
         * Called on the run's coordinating thread at most once per progress interval and once at the end; keep
         * it fast. An exception it throws is logged and ignored. Null: none.
         */
        public Builder onProgress(Consumer<BatchProgress> onProgress) {
            this.onProgress = onProgress;
            return this;
        }

        /**
         * Called with the report when a run ends (succeeded, failed or cancelled), standalone or as a job:
         * the place to send the completion message ({@link BatchReport#summary()}). An exception it throws is
         * logged and ignored. Null: none.
         */
        public Builder onComplete(Consumer<BatchReport> onComplete) {
            this.onComplete = onComplete;
            return this;
        }

        /** The clock that times progress reports. Default: the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Publishes the runs' meters to {@code registry} under the tag {@code batch=name}: {@code
         * sluice.batch.records} (tag {@code outcome} = succeeded, failed), {@code sluice.batch.duration} (per
         * committed batch), {@code sluice.batch.retries} and {@code sluice.batch.failed}. The name is a tag value:
         * use a fixed name per kind of run (1 to 64 of letters, digits, '.', '_' and '-'), never a run id.
         * Default: no meters.
         */
        public Builder metrics(MeterRegistry registry, String name) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.metricsName = Objects.requireNonNull(name, "name");
            return this;
        }

        public BatchConfig build() {
            if (metricsName != null && !metricsName.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("metrics name must be 1 to 64 of letters, digits, '.', '_' and"
                        + " '-' but was '" + metricsName + "'");
            }
            if (batchSize < 1 || batchSize > 1_000_000) {
                throw new IllegalArgumentException("batchSize must be in [1, 1000000] but was " + batchSize);
            }
            if (concurrency < 1 || concurrency > 1024) {
                throw new IllegalArgumentException("concurrency must be in [1, 1024] but was " + concurrency);
            }
            if (progressInterval == null || progressInterval.isNegative()) {
                throw new IllegalArgumentException("progressInterval must be zero or positive but was "
                        + progressInterval);
            }
            if (!(failureThresholdPercent >= 0 && failureThresholdPercent <= 100)) {
                throw new IllegalArgumentException("failureThresholdPercent must be in [0, 100] but was "
                        + failureThresholdPercent);
            }
            if (failureThresholdMinRecords < 0) {
                throw new IllegalArgumentException("failureThresholdMinRecords must be >= 0 but was "
                        + failureThresholdMinRecords);
            }
            if (maxRetriesPerBatch < 0 || maxRetriesPerBatch > 100) {
                throw new IllegalArgumentException("maxRetriesPerBatch must be in [0, 100] but was "
                        + maxRetriesPerBatch);
            }
            if (retryInitialBackoff == null || retryInitialBackoff.isNegative() || retryInitialBackoff.isZero()) {
                throw new IllegalArgumentException("retryInitialBackoff must be positive but was "
                        + retryInitialBackoff);
            }
            if (retryMaxBackoff == null || retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
                throw new IllegalArgumentException("retryMaxBackoff must not be shorter than retryInitialBackoff ("
                        + retryInitialBackoff + ") but was " + retryMaxBackoff);
            }
            if (!(retryJitter >= 0 && retryJitter < 1)) {
                throw new IllegalArgumentException("retryJitter must be in [0, 1) but was " + retryJitter);
            }
            if (maxFailuresInReport < 0 || maxFailuresInReport > 100_000) {
                throw new IllegalArgumentException("maxFailuresInReport must be in [0, 100000] but was "
                        + maxFailuresInReport);
            }
            return new BatchConfig(this);
        }
    }
}
