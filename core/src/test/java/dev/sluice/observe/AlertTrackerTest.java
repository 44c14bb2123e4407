package dev.sluice.observe;

import dev.sluice.internal.observe.AlertTracker;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class AlertTrackerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Alert alert(String rule, AlertSeverity severity, double ready, Instant at) {
        return new Alert(rule, "q", severity, "waiting jobs (" + (long) ready + ")", Map.of("ready", ready), at, null);
    }

    @Test
    void anAlertIsToldOnceWhenItStartsAndOnceWhenItClears() {
        List<Alert> told = new CopyOnWriteArrayList<>();
        AlertTracker tracker = new AlertTracker(List.of(told::add));
        for (int i = 0; i < 10; i++) {
            tracker.update(List.of(alert("queue-depth", AlertSeverity.MODERATE, 200 + i, T0.plusSeconds(i))),
                    T0.plusSeconds(i));
        }
        assertThat(told).hasSize(1);
        assertThat(tracker.active()).singleElement().satisfies(a -> {
            assertThat(a.startedAt()).isEqualTo(T0);
            assertThat(a.values()).containsEntry("ready", 209.0); // numbers refreshed, start kept
        });
        tracker.update(List.of(), T0.plusSeconds(20));
        tracker.update(List.of(), T0.plusSeconds(25));
        assertThat(told).hasSize(2);
        assertThat(told.get(1).active()).isFalse();
        assertThat(told.get(1).clearedAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(tracker.active()).isEmpty();
    }

    @Test
    void aChangeOfSeverityClearsTheOldAlertAndStartsTheNewOne() {
        List<Alert> told = new CopyOnWriteArrayList<>();
        AlertTracker tracker = new AlertTracker(List.of(told::add));
        tracker.update(List.of(alert("queue-depth", AlertSeverity.MODERATE, 200, T0)), T0);
        tracker.update(List.of(alert("queue-depth", AlertSeverity.HIGH, 6000, T0.plusSeconds(5))), T0.plusSeconds(5));
        assertThat(told).extracting(Alert::severity, Alert::active).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AlertSeverity.MODERATE, true),
                org.assertj.core.groups.Tuple.tuple(AlertSeverity.MODERATE, false),
                org.assertj.core.groups.Tuple.tuple(AlertSeverity.HIGH, true));
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthers() {
        List<Alert> told = new CopyOnWriteArrayList<>();
        AlertTracker tracker = new AlertTracker(List.of(a -> {
            throw new IllegalStateException("listener bug");
        }, told::add));
        tracker.update(List.of(alert("queue-depth", AlertSeverity.MODERATE, 200, T0)), T0);
        assertThat(told).hasSize(1);
    }
}
