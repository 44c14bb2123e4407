package dev.sluice.internal.observe;

import java.util.ArrayDeque;

/** The node samples of the last window, oldest first; rates are the difference between the ends. Not thread-safe. */
final class RateWindow {

    private final long windowNanos;
    private final ArrayDeque<NodeSample> samples = new ArrayDeque<>();

    RateWindow(long windowNanos, NodeSample baseline) {
        this.windowNanos = windowNanos;
        samples.add(baseline);
    }

    /** Adds the newest sample and drops those older than the window, keeping one at or before its start. */
    void add(NodeSample sample) {
        samples.addLast(sample);
        long start = sample.nanoTime() - windowNanos;
        while (samples.size() > 2) {
            NodeSample second = samples.stream().skip(1).findFirst().orElseThrow();
            if (second.nanoTime() <= start) {
                samples.removeFirst();
            } else {
                break;
            }
        }
    }

    NodeSample oldest() {
        return samples.getFirst();
    }

    NodeSample newest() {
        return samples.getLast();
    }
}
