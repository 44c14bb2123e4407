package dev.sluice;

/**
 * Receives {@link JobEvent}s. Called on engine threads right after the change is stored: keep it fast and
 * non-blocking. An exception it throws is logged and counted, never passed on.
 */
@FunctionalInterface
public interface JobListener {
    void onEvent(JobEvent event);
}
