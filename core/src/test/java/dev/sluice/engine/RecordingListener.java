package dev.sluice.engine;

import dev.sluice.JobEvent;
import dev.sluice.JobId;
import dev.sluice.JobListener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event it receives, in arrival order; safe to read while engine threads add to it. */
final class RecordingListener implements JobListener {

    private final List<JobEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(JobEvent event) {
        events.add(event);
    }

    List<JobEvent> events() {
        return List.copyOf(events);
    }

    /** The kinds of the events of one job, in arrival order. */
    List<JobEvent.Kind> kindsOf(JobId id) {
        List<JobEvent.Kind> kinds = new ArrayList<>();
        for (JobEvent event : events) {
            if (event.jobId().equals(id)) {
                kinds.add(event.kind());
            }
        }
        return kinds;
    }

    List<JobEvent> eventsOf(JobId id, JobEvent.Kind kind) {
        List<JobEvent> matching = new ArrayList<>();
        for (JobEvent event : events) {
            if (event.jobId().equals(id) && event.kind() == kind) {
                matching.add(event);
            }
        }
        return matching;
    }
}
