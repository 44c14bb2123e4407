package dev.sluice.examples.etl;

import dev.sluice.batch.BatchAttempt;
import dev.sluice.batch.BatchHandler;
import dev.sluice.batch.RecordFailure;
import dev.sluice.examples.support.Dice;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The transform and load steps: validates each transaction, converts it to euro cents, and books the batch on
 * the ledger (account balances and volume per kind) in one write. Invalid records are reported as record
 * failures; a write that times out (simulated) throws an {@link IOException}, which the batch processor retries
 * with backoff. A batch is staged first and booked only when its write succeeds, so a retried batch is never
 * booked twice. Thread-safe: batches run on several threads at once.
 */
final class LedgerLoader implements BatchHandler<Transaction> {

    /** Euro cents per 1,000,000 minor units of each accepted currency (fixed rates, for the simulation). */
    private static long rateMicros(String currency) {
        switch (currency) {
            case "EUR": return 1_000_000;
            case "USD": return 920_000;
            case "GBP": return 1_170_000;
            case "CHF": return 1_050_000;
            default: return -1;
        }
    }

    private final EtlRun run;
    private final long writeLatencyMillis;
    private final AtomicLongArray balances = new AtomicLongArray(Transaction.ACCOUNTS);
    private final LongAdder[] volumeByKind = new LongAdder[Transaction.Kind.values().length];
    private final LongAdder booked = new LongAdder();

    /** @param writeLatencyMillis the simulated round trip of one ledger write */
    LedgerLoader(EtlRun run, long writeLatencyMillis) {
        this.run = run;
        this.writeLatencyMillis = writeLatencyMillis;
        for (int i = 0; i < volumeByKind.length; i++) {
            volumeByKind[i] = new LongAdder();
        }
    }

    @Override
    public List<RecordFailure> process(List<Transaction> records, BatchAttempt attempt)
            throws IOException, InterruptedException {
        List<RecordFailure> failures = new ArrayList<>();
        long[] staged = new long[records.size()];
        for (int i = 0; i < records.size(); i++) {
            Transaction t = records.get(i);
            String defect = defect(t);
            if (defect != null) {
                failures.add(RecordFailure.of(t.id(), defect));
                staged[i] = Long.MIN_VALUE;
            } else {
                staged[i] = t.amountCents() * rateMicros(t.currency()) / 1_000_000;
            }
        }
        writeToLedger(attempt);
        for (int i = 0; i < staged.length; i++) {
            if (staged[i] != Long.MIN_VALUE) {
                Transaction t = records.get(i);
                balances.addAndGet(t.account(), staged[i]);
                volumeByKind[t.kind().ordinal()].add(Math.abs(staged[i]));
                booked.increment();
            }
        }
        return failures;
    }

    private static String defect(Transaction t) {
        if (rateMicros(t.currency()) < 0) {
            return "unknown currency " + t.currency();
        }
        if (t.amountCents() == 0) {
            return "zero amount";
        }
        if (t.account() < 0 || t.account() >= Transaction.ACCOUNTS) {
            return "no such account " + t.account();
        }
        return null;
    }

    /** The simulated ledger database: a share of writes time out, decided by (batch, attempt) so runs repeat. */
    private void writeToLedger(BatchAttempt attempt) throws IOException, InterruptedException {
        if (writeLatencyMillis > 0) {
            Thread.sleep(writeLatencyMillis);
        }
        long h = Dice.mix(run.seed() * 31 + attempt.batchIndex() * 1_000_003L + attempt.attempt());
        if ((h >>> 11) * 0x1.0p-53 < run.transientFailureRate()) {
            throw new IOException("ledger write timed out (simulated), batch " + attempt.batchIndex()
                    + " attempt " + attempt.attempt());
        }
    }

    /** Transactions booked by this process (a resumed run books only the batches after its checkpoint). */
    long booked() {
        return booked.sum();
    }

    /** Absolute volume booked per kind, euro cents. */
    long volume(Transaction.Kind kind) {
        return volumeByKind[kind.ordinal()].sum();
    }

    /** Accounts whose balance moved. */
    int accountsTouched() {
        int n = 0;
        for (int i = 0; i < balances.length(); i++) {
            if (balances.get(i) != 0) {
                n++;
            }
        }
        return n;
    }
}
