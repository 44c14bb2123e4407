package dev.sluice.internal.observe;

import dev.sluice.store.StoreStats;

import java.time.Instant;

/**
 * Everything one observer round saw: the store snapshot (or why it failed), this node's sample and the rates
 * over the window. Health, alerts and the scaling advice are computed from it alone, which keeps them pure
 * functions that tests can feed directly.
 *
 * @param at                 when it was taken
 * @param stats              the store's counts; the last good one when the store failed, null if none ever
 * @param storeError         why the last stats call failed, null when it succeeded
 * @param storeFailingSince  when the store began failing, null when it is reachable
 * @param node               this node's sample
 * @param windowSeconds      the span the rates cover
 * @param endedInWindow      attempts ended (succeeded, failed, dead) in the window
 * @param failedInWindow     of those, failed or dead
 * @param errorRate          failed / ended, 0 when none ended
 * @param avgProcessingSeconds average run time of attempts in the window, 0 when none ran
 * @param arrivalRate        jobs submitted per second
 * @param completionRate     attempts ended per second
 * @param heapUsed           used / max heap, 0..1
 * @param heapMaxBytes       the max heap
 * @param nodeId             this node
 */
public record Observation(Instant at, StoreStats stats, String storeError, Instant storeFailingSince,
                          NodeSample node, double windowSeconds, long endedInWindow, long failedInWindow,
                          double errorRate, double avgProcessingSeconds, double arrivalRate, double completionRate,
                          double heapUsed, long heapMaxBytes, String nodeId) {
}
