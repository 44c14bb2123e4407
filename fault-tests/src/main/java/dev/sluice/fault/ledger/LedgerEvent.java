package dev.sluice.fault.ledger;

import dev.sluice.JobId;

/**
 * One line of the ledger.
 *
 * @param kind     what happened
 * @param job      the job
 * @param token    the fencing token of the attempt it happened under (0 when none: SUBMITTED)
 * @param node     the node that recorded it
 * @param attempt  the attempt number (0 when none)
 * @param atMillis when, by the recording host's wall clock (never a skewed engine clock)
 * @param seq      the job's number in its run ({@code Work.seq}), or -1 when unknown
 * @param detail   the completion's outcome, the reason of a lease loss, or null
 */
public record LedgerEvent(Kind kind, JobId job, long token, String node, int attempt, long atMillis, long seq,
                          String detail) {

    /** What the ledger records. */
    public enum Kind {
        /** A producer got the job's id back from a submit. */
        SUBMITTED,
        /** A handler started an execution (recorded before it does any work). */
        START,
        /** A handler finished an execution (recorded before it returns). */
        END,
        /** The store accepted a completion; detail names its outcome. */
        ACCEPTED,
        /** The store refused a completion as stale (its lease was lost); detail names its outcome. */
        STALE,
        /** The node learned that it lost a job's lease; detail says how. */
        LEASE_LOST
    }

    public static LedgerEvent of(Kind kind, JobId job, long token, String node, int attempt, long seq,
                                 String detail) {
        return new LedgerEvent(kind, job, token, node, attempt, System.currentTimeMillis(), seq, detail);
    }
}
