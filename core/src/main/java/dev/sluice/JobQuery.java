package dev.sluice;

/**
 * A page of jobs: optional filters and keyset paging by job id (ascending).
 *
 * @param state   only jobs in this state, or null for any
 * @param queue   only this queue, or null
 * @param type    only this type, or null
 * @param afterId only ids greater than this (the last id of the previous page), or null for the first page
 * @param limit   page size, 1..10000
 */
public record JobQuery(JobState state, String queue, String type, JobId afterId, int limit) {

    public JobQuery {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be in 1..10000 but was " + limit);
        }
        if (queue != null) {
            Names.requireQueue(queue);
        }
    }

    /** The first {@code limit} jobs in a state. */
    public static JobQuery inState(JobState state, int limit) {
        return new JobQuery(state, null, null, null, limit);
    }

    /** The next page after {@code lastId}. */
    public JobQuery after(JobId lastId) {
        return new JobQuery(state, queue, type, lastId, limit);
    }
}
