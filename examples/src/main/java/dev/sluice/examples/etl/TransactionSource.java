package dev.sluice.examples.etl;

import dev.sluice.batch.RecordSource;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The export of {@code total} transactions, generated on the fly. Its cursor is the number of records read, and
 * opening at a cursor costs nothing (record n is computed from n), like a keyset query on a real table.
 * Not thread-safe: the batch processor reads it from one thread.
 */
final class TransactionSource implements RecordSource<Transaction> {

    private final EtlRun run;
    private long position;

    TransactionSource(EtlRun run) {
        this.run = run;
    }

    @Override
    public void open(String cursor) {
        position = cursor == null ? 0 : Long.parseLong(cursor);
        if (position < 0 || position > run.totalRecords()) {
            throw new IllegalArgumentException("cursor must be in [0, " + run.totalRecords() + "] but was " + cursor);
        }
    }

    @Override
    public List<Transaction> read(int max) {
        int n = (int) Math.min(max, run.totalRecords() - position);
        List<Transaction> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            records.add(Transaction.generate(run.seed(), position + i, run.failureRate()));
        }
        position += n;
        return records;
    }

    @Override
    public String cursor() {
        return Long.toString(position);
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.of(run.totalRecords());
    }
}
