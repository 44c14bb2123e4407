package dev.sluice.fault.node;

import dev.sluice.JobRequest;

/**
 * The payload of the harness's test job, encoded as JSON by core's standard codec.
 *
 * @param seq        the job's number in its run, so that the ledger can name jobs that never got an id back
 * @param workMillis how long the handler works (sleeps) before it returns
 * @param mode       {@link #NORMAL}, or {@link #POISON}: the handler halts its JVM every time it runs
 */
public record Work(long seq, int workMillis, String mode) {

    /** The job type every node registers. */
    public static final String TYPE = "fault-work";
    public static final String NORMAL = "normal";
    public static final String POISON = "poison";

    public Work {
        if (workMillis < 0) {
            throw new IllegalArgumentException("workMillis must be >= 0 but was " + workMillis);
        }
        if (!NORMAL.equals(mode) && !POISON.equals(mode)) {
            throw new IllegalArgumentException("mode must be '" + NORMAL + "' or '" + POISON + "' but was '"
                    + mode + "'");
        }
    }

    public static Work normal(long seq, int workMillis) {
        return new Work(seq, workMillis, NORMAL);
    }

    /** The unique key of job number {@code seq} in runs that submit with unique keys. */
    public static String uniqueKey(long seq) {
        return "key-" + seq;
    }

    /** The request that submits this work with {@code maxAttempts}, under {@link #uniqueKey} when asked. */
    public JobRequest request(int maxAttempts, boolean withUniqueKey) {
        JobRequest.Builder builder = JobRequest.builder(TYPE).payload(this).maxAttempts(maxAttempts);
        if (withUniqueKey) {
            builder.uniqueKey(uniqueKey(seq));
        }
        return builder.build();
    }
}
