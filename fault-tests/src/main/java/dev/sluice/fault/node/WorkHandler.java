package dev.sluice.fault.node;

import dev.sluice.JobContext;
import dev.sluice.JobHandler;
import dev.sluice.fault.ledger.Ledger;
import dev.sluice.fault.ledger.LedgerEvent;
import dev.sluice.store.ClaimedJob;

/**
 * The test job: records its start in the ledger (with the fencing token of its claim), works for
 * {@code workMillis}, records its end, returns. A poison job halts the JVM right after its start is recorded,
 * every time it runs. Both records are committed before the handler goes on, so a kill at any instant leaves
 * the ledger true.
 */
final class WorkHandler implements JobHandler<Work> {

    /** Exit status of a JVM halted by a poison job. */
    static final int POISON_STATUS = 98;

    private final Ledger ledger;
    private final LedgerStore claims;
    private final String node;

    WorkHandler(Ledger ledger, LedgerStore claims, String node) {
        this.ledger = ledger;
        this.claims = claims;
        this.node = node;
    }

    @Override
    public Object handle(Work work, JobContext context) throws Exception {
        ClaimedJob claim = claims.claimOf(context.jobId());
        long token = claim == null ? -1 : claim.fencingToken();
        ledger.record(LedgerEvent.of(LedgerEvent.Kind.START, context.jobId(), token, node, context.attempt(),
                work.seq(), null));
        if (Work.POISON.equals(work.mode())) {
            FaultNode.halt(POISON_STATUS, "poison job " + context.jobId() + " attempt " + context.attempt());
        }
        String end = "done";
        try {
            Thread.sleep(work.workMillis());
        } catch (InterruptedException e) {
            // Interrupted for a lost lease, a cancel or the drain timeout: the end is still recorded, then the
            // attempt fails as the engine expects (the interrupt flag is clear, so the ledger write can wait).
            end = "interrupted";
            throw e;
        } finally {
            String detail = context.isLeaseLost() ? end + ", lease lost" : end;
            ledger.record(LedgerEvent.of(LedgerEvent.Kind.END, context.jobId(), token, node, context.attempt(),
                    work.seq(), detail));
        }
        return null;
    }
}
