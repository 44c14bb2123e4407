package dev.sluice.batch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

/** A source over re-openable iterators; the cursor is the number of records read. Not thread-safe. */
class IteratorSource<R> implements RecordSource<R> {

    private final Supplier<? extends Iterator<R>> iterators;
    private final long size;
    Iterator<R> iterator;
    private long position;

    IteratorSource(Supplier<? extends Iterator<R>> iterators, long size) {
        this.iterators = iterators;
        this.size = size;
    }

    @Override
    public void open(String cursor) throws Exception {
        long skip = cursor == null ? 0 : parse(cursor);
        iterator = openIterator();
        for (long i = 0; i < skip; i++) {
            if (!iterator.hasNext()) {
                throw new IllegalStateException("cannot resume at record " + skip + ": the source has only " + i
                        + " records now; its records changed since the checkpoint");
            }
            iterator.next();
        }
        position = skip;
    }

    Iterator<R> openIterator() {
        Iterator<R> it = iterators.get();
        if (it == null) {
            throw new IllegalStateException("the iterator supplier returned null");
        }
        return it;
    }

    @Override
    public List<R> read(int max) {
        List<R> records = new ArrayList<>(Math.min(max, 4096));
        while (records.size() < max && iterator.hasNext()) {
            records.add(iterator.next());
        }
        position += records.size();
        return records;
    }

    @Override
    public String cursor() {
        return Long.toString(position);
    }

    @Override
    public OptionalLong size() {
        return size < 0 ? OptionalLong.empty() : OptionalLong.of(size);
    }

    private static long parse(String cursor) {
        try {
            long n = Long.parseLong(cursor);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the value
        }
        throw new IllegalArgumentException("cursor must be a record count >= 0 but was '" + cursor + "'");
    }
}
