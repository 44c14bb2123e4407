package dev.sluice.fault.node;

import java.util.Locale;

/**
 * A named place in a node's store calls where the node halts its JVM ({@code Runtime.halt}: no shutdown hook,
 * no drain, as kill -9), chosen by the node's {@code fault.crash} property as {@code name} or {@code name@n}
 * (halt at the n-th time the point is reached with work in hand; default the first).
 */
public enum CrashPoint {
    /** The claim returned jobs: they are RUNNING under this node's lease, and no handler has seen them. */
    AFTER_CLAIM("after-claim"),
    /** Handlers finished and recorded their end; the completion batch is about to be written. */
    BEFORE_COMPLETION_FLUSH("before-completion-flush"),
    /** The first half of a completion batch was written and accepted, the second half not yet. */
    MID_COMPLETION_FLUSH("mid-completion-flush"),
    /** The store stored the submitted jobs; the submit has not returned their ids to the caller. */
    AFTER_ENQUEUE("after-enqueue");

    private final String text;

    CrashPoint(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The point named {@code text} (as in {@link #text()}). */
    public static CrashPoint parse(String text) {
        for (CrashPoint point : values()) {
            if (point.text.equals(text.toLowerCase(Locale.ROOT))) {
                return point;
            }
        }
        throw new IllegalArgumentException("unknown crash point '" + text + "'; known: after-claim,"
                + " before-completion-flush, mid-completion-flush, after-enqueue");
    }
}
