package dev.sluice.internal.observe;

import dev.sluice.observe.Alert;
import dev.sluice.observe.AlertListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers which alerts are active so that listeners hear of each one once when it starts and once when it
 * clears. An alert is identified by rule, subject and severity: a change of severity clears the old one and
 * starts the new one. Called from the observer thread only; {@link #active()} may be read from any thread.
 */
public final class AlertTracker {

    private static final Logger log = LoggerFactory.getLogger(AlertTracker.class);

    private final List<AlertListener> listeners;
    private final Map<String, Alert> active = new LinkedHashMap<>();
    private volatile List<Alert> snapshot = List.of();

    public AlertTracker(List<AlertListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Compares what the rules found now with what was active; tells listeners of the differences. */
    public void update(List<Alert> found, Instant now) {
        Map<String, Alert> current = new LinkedHashMap<>();
        for (Alert a : found) {
            current.putIfAbsent(key(a), a);
        }
        List<Alert> cleared = new ArrayList<>();
        active.entrySet().removeIf(e -> {
            if (!current.containsKey(e.getKey())) {
                cleared.add(e.getValue().clear(now));
                return true;
            }
            return false;
        });
        for (Alert a : cleared) {
            tell(a);
        }
        for (Map.Entry<String, Alert> e : current.entrySet()) {
            Alert previous = active.get(e.getKey());
            if (previous == null) {
                active.put(e.getKey(), e.getValue());
                tell(e.getValue());
            } else {
                // Same alert still on: keep its start, refresh its numbers, tell nobody.
                Alert a = e.getValue();
                active.put(e.getKey(), new Alert(a.rule(), a.subject(), a.severity(), a.message(), a.values(),
                        previous.startedAt(), null));
            }
        }
        snapshot = List.copyOf(active.values());
    }

    public List<Alert> active() {
        return snapshot;
    }

    private void tell(Alert alert) {
        for (AlertListener listener : listeners) {
            try {
                listener.onAlert(alert);
            } catch (RuntimeException e) {
                log.warn("alert listener {} threw on {}", listener, alert.rule(), e);
            }
        }
    }

    private static String key(Alert a) {
        return a.rule() + '\u0000' + a.subject() + '\u0000' + a.severity();
    }
}
