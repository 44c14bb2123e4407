package dev.sluice.ops;

import dev.sluice.store.EnqueueResult;
import dev.sluice.store.ForwardingJobStore;
import dev.sluice.store.JobStore;
import dev.sluice.store.NewJob;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A store that logs the fires it accepted (shared by the engines of one test, each with its own wrapper). */
final class FireLog {

    /** One accepted fire. */
    record Fire(String node, String scheduleId, Instant fireTime) {
    }

    private final List<Fire> fires = new CopyOnWriteArrayList<>();

    /** The store as the node named {@code node} sees it. */
    JobStore storeFor(String node, JobStore store) {
        return new ForwardingJobStore(store) {
            @Override
            public Optional<EnqueueResult> enqueueFire(String scheduleId, long fireTimeMillis, NewJob job) {
                Optional<EnqueueResult> result = super.enqueueFire(scheduleId, fireTimeMillis, job);
                if (result.isPresent()) {
                    fires.add(new Fire(node, scheduleId, Instant.ofEpochMilli(fireTimeMillis)));
                }
                return result;
            }
        };
    }

    List<Fire> fires() {
        return List.copyOf(fires);
    }

    List<Instant> times() {
        return fires.stream().map(Fire::fireTime).toList();
    }
}
