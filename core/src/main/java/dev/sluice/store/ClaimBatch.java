package dev.sluice.store;

import java.util.List;

/**
 * The result of a claim.
 *
 * @param jobs              the claimed jobs, best first
 * @param nextRunAtMillis   a hint: epoch millis when the earliest SCHEDULED job in the asked queues becomes
 *                          due, or 0 when the store does not know or has none; dispatchers sleep until then at most
 */
public record ClaimBatch(List<ClaimedJob> jobs, long nextRunAtMillis) {
    private static final ClaimBatch EMPTY = new ClaimBatch(List.of(), 0);

    public static ClaimBatch empty() {
        return EMPTY;
    }
}
