package dev.sluice.fault.node;

import dev.sluice.JobId;
import dev.sluice.fault.ledger.Ledger;
import dev.sluice.fault.ledger.LedgerEvent;
import dev.sluice.store.ClaimBatch;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.ForwardingJobStore;
import dev.sluice.store.JobStore;
import dev.sluice.store.WriteResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sits between the engine and the real store of a node: remembers the fencing token of every job this node
 * claims (the handler records it in the ledger; {@code JobContext} does not expose tokens), and records in the
 * ledger whether the store accepted or refused each completion, once the store has answered.
 */
final class LedgerStore extends ForwardingJobStore {

    private final Ledger ledger;
    private final String node;
    private final Map<JobId, ClaimedJob> claims = new ConcurrentHashMap<>();

    LedgerStore(JobStore delegate, Ledger ledger, String node) {
        super(delegate);
        this.ledger = ledger;
        this.node = node;
    }

    /** The claim this node holds the job under (the latest one), or null. */
    ClaimedJob claimOf(JobId id) {
        return claims.get(id);
    }

    @Override
    public ClaimBatch claim(ClaimRequest request) {
        ClaimBatch batch = super.claim(request);
        for (ClaimedJob job : batch.jobs()) {
            claims.put(job.id(), job);
        }
        return batch;
    }

    @Override
    public List<WriteResult> completeAll(List<Completion> completions) {
        List<WriteResult> results = super.completeAll(completions);
        List<LedgerEvent> events = new ArrayList<>(completions.size());
        for (int i = 0; i < completions.size(); i++) {
            Completion c = completions.get(i);
            ClaimedJob claim = claims.get(c.id());
            int attempt = claim != null && claim.fencingToken() == c.fencingToken() ? claim.attempt() : 0;
            LedgerEvent.Kind kind = results.get(i) == WriteResult.ACCEPTED
                    ? LedgerEvent.Kind.ACCEPTED : LedgerEvent.Kind.STALE;
            events.add(LedgerEvent.of(kind, c.id(), c.fencingToken(), node, attempt, -1, c.outcome().name()));
            if (claim != null && claim.fencingToken() == c.fencingToken()) {
                claims.remove(c.id(), claim);
            }
        }
        ledger.recordAll(events);
        return results;
    }
}
