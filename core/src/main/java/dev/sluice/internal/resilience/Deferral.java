package dev.sluice.internal.resilience;

/**
 * Why a job that reached a worker is handed back without running, and how long it waits.
 *
 * @param delayMillis how long from now until it may run again (at least 1)
 * @param reason      what held it back, for the DEFERRED event
 */
public record Deferral(long delayMillis, String reason) {
}
