package dev.sluice.examples.etl;

import dev.sluice.JobEvent;
import dev.sluice.JobListener;
import dev.sluice.examples.support.Terminal;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Prints every state transition of the job as an audit line ({@code RUNNING → SUCCEEDED}), with the time, the
 * attempt and the error, and keeps them for the final report. Thread-safe: events come from engine threads.
 */
final class AuditTrail implements JobListener {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final Terminal terminal;
    private final List<String> transitions = new ArrayList<>();

    AuditTrail(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Set<JobEvent.Kind> kinds() {
        return EnumSet.complementOf(EnumSet.of(JobEvent.Kind.DEFERRED));
    }

    @Override
    public void onEvent(JobEvent event) {
        String transition = transition(event);
        synchronized (transitions) {
            transitions.add(transition);
        }
        StringBuilder line = new StringBuilder("audit  ").append(TIME.format(event.at())).append("  job ")
                .append(event.jobId()).append("  ").append(transition);
        if (event.attempt() > 0) {
            line.append("  (attempt ").append(event.attempt()).append(')');
        }
        if (event.error() != null) {
            String error = event.error();
            line.append("  ").append(error.length() > 160 ? error.substring(0, 160) + "…" : error);
        }
        terminal.line(line.toString());
    }

    /** The transitions seen so far, in the order they arrived. */
    List<String> transitions() {
        synchronized (transitions) {
            return List.copyOf(transitions);
        }
    }

    /** True once an attempt started on this node. */
    boolean startedHere() {
        synchronized (transitions) {
            return transitions.stream().anyMatch(t -> t.endsWith("→ RUNNING"));
        }
    }

    private static String transition(JobEvent event) {
        switch (event.kind()) {
            case SUBMITTED: return "(new) → READY";
            case STARTED: return "READY → RUNNING";
            case SUCCEEDED: return "RUNNING → SUCCEEDED";
            case FAILED: return "RUNNING → SCHEDULED (retry)";
            case DEAD: return "RUNNING → DEAD";
            case CANCELLED: return "→ CANCELLED";
            case LEASE_LOST: return "RUNNING → lease lost on this node";
            case RECOVERED: return "RUNNING → READY (expired lease of a stopped node recovered)";
            default: return event.kind().name();
        }
    }
}
