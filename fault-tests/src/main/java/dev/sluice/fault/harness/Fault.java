package dev.sluice.fault.harness;

import dev.sluice.JobId;

import java.util.Map;

/**
 * A fault that struck a node.
 *
 * @param node     the node
 * @param what     what was done ("kill -9", "SIGSTOP", "halt at after-claim"...)
 * @param atMillis when (host millis)
 * @param inFlight the jobs the node held under lease at that moment, with their fencing tokens
 */
public record Fault(String node, String what, long atMillis, Map<JobId, Long> inFlight) {
}
