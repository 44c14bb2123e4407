package dev.sluice.fault.check;

import dev.sluice.JobState;

/**
 * How a job must end for the run to count it as not lost.
 *
 * @param state         the end state
 * @param errorContains text its last error must contain (DEAD jobs), or null
 */
public record Expectation(JobState state, String errorContains) {

    public static final Expectation SUCCEEDED = new Expectation(JobState.SUCCEEDED, null);

    public static Expectation dead(String errorContains) {
        return new Expectation(JobState.DEAD, errorContains);
    }

    boolean metBy(JobState actual, String lastError) {
        return actual == state && (errorContains == null || (lastError != null && lastError.contains(errorContains)));
    }
}
