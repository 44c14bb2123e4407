package dev.sluice.store;

import dev.sluice.JobId;
import dev.sluice.Priority;
import dev.sluice.UniqueScope;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A validated, encoded job ready to be stored; made by the engine from a {@code JobRequest}.
 *
 * @param id             client-made, time-ordered id
 * @param type           job type
 * @param queue          queue name
 * @param priority       priority
 * @param payload        encoded payload, never null (empty for none)
 * @param runAtMillis    epoch millis before which it must not run; 0 or a past time means ready now
 * @param maxAttempts    attempts in all, at least 1
 * @param timeoutMillis  time limit of one attempt, 0 for none
 * @param uniqueKey      unique key or null
 * @param tenant         tenant or null
 * @param createdAtMillis epoch millis of submission
 * @param parents        the jobs it waits for (dependency graphs), empty for none; each parent is either
 *                       stored already or comes earlier in the same {@link JobStore#enqueue} list
 * @param uniqueScope    how long the unique key is held (see {@link UniqueScope}); UNTIL_FINISHED when null
 * @param uniqueHoldMillis how long the key stays held after the job SUCCEEDED, 0 for not at all
 */
public record NewJob(JobId id, String type, String queue, Priority priority, byte[] payload, long runAtMillis,
                     int maxAttempts, long timeoutMillis, String uniqueKey, String tenant, long createdAtMillis,
                     List<Dependency> parents, UniqueScope uniqueScope, long uniqueHoldMillis) {

    public NewJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(payload, "payload");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1 but was " + maxAttempts + " for job " + id);
        }
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis must be >= 0 but was " + timeoutMillis + " for job " + id);
        }
        parents = parents == null ? List.of() : List.copyOf(parents);
        uniqueScope = uniqueScope == null ? UniqueScope.UNTIL_FINISHED : uniqueScope;
        if (uniqueHoldMillis < 0) {
            throw new IllegalArgumentException("uniqueHoldMillis must be >= 0 but was " + uniqueHoldMillis
                    + " for job " + id);
        }
        if (!parents.isEmpty()) {
            Set<JobId> seen = new HashSet<>();
            for (Dependency parent : parents) {
                if (parent.parent().equals(id)) {
                    throw new IllegalArgumentException("job " + id + " cannot depend on itself");
                }
                if (!seen.add(parent.parent())) {
                    throw new IllegalArgumentException("job " + id + " lists parent " + parent.parent() + " twice");
                }
            }
        }
    }

    /** A job without parents. */
    public NewJob(JobId id, String type, String queue, Priority priority, byte[] payload, long runAtMillis,
                  int maxAttempts, long timeoutMillis, String uniqueKey, String tenant, long createdAtMillis) {
        this(id, type, queue, priority, payload, runAtMillis, maxAttempts, timeoutMillis, uniqueKey, tenant,
                createdAtMillis, List.of(), UniqueScope.UNTIL_FINISHED, 0);
    }

    /** A job with parents and the default unique scope. */
    public NewJob(JobId id, String type, String queue, Priority priority, byte[] payload, long runAtMillis,
                  int maxAttempts, long timeoutMillis, String uniqueKey, String tenant, long createdAtMillis,
                  List<Dependency> parents) {
        this(id, type, queue, priority, payload, runAtMillis, maxAttempts, timeoutMillis, uniqueKey, tenant,
                createdAtMillis, parents, UniqueScope.UNTIL_FINISHED, 0);
    }

    /** True when it waits for other jobs. */
    public boolean hasParents() {
        return !parents.isEmpty();
    }
}
