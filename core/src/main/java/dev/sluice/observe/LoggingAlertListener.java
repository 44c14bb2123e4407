package dev.sluice.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs alerts through SLF4J on the logger {@code dev.sluice.alerts}: CRITICAL and HIGH at ERROR and WARN,
 * MODERATE at WARN, LOW and INFO at INFO; a clear at INFO. Stateless and thread-safe.
 */
public final class LoggingAlertListener implements AlertListener {

    private static final Logger log = LoggerFactory.getLogger("dev.sluice.alerts");
    private static final LoggingAlertListener INSTANCE = new LoggingAlertListener();

    private LoggingAlertListener() {
    }

    public static LoggingAlertListener instance() {
        return INSTANCE;
    }

    @Override
    public void onAlert(Alert alert) {
        if (!alert.active()) {
            log.info("alert cleared [{} {} {}]: {}", alert.severity(), alert.rule(), alert.subject(),
                    alert.message());
            return;
        }
        switch (alert.severity()) {
            case CRITICAL:
                log.error("alert [{} {} {}]: {}", alert.severity(), alert.rule(), alert.subject(), alert.message());
                break;
            case HIGH:
            case MODERATE:
                log.warn("alert [{} {} {}]: {}", alert.severity(), alert.rule(), alert.subject(), alert.message());
                break;
            default:
                log.info("alert [{} {} {}]: {}", alert.severity(), alert.rule(), alert.subject(), alert.message());
        }
    }

    @Override
    public String toString() {
        return "LoggingAlertListener";
    }
}
