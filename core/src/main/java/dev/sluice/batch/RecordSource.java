package dev.sluice.batch;

import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Where a {@link BatchProcessor} reads its records: one sequential pass, which can start at a cursor that an
 * earlier pass returned. That is what makes resuming possible: a checkpoint holds the cursor after the last
 * committed batch, and a later run (on any node) opens the source there.
 *
 * <p><b>Contract.</b> The processor calls {@link #open} once, then {@link #read} until it returns an empty list,
 * taking {@link #cursor()} after each read, then {@link #close()}; all from one thread, so an implementation
 * need not be thread-safe. {@code read(max)} returns exactly {@code max} records unless the source is used up:
 * together with a stable order of records this keeps batch boundaries the same from run to run, which resume
 * relies on. A source reused for a second run must be a new instance (the factories below build one that can
 * open again).
 *
 * <p>Factories: {@link #fromList}, {@link #fromIterator} and {@link #fromStream} (cursor = records read so far;
 * resuming skips that many), and {@link #paged} for a reader of pages with its own resumable cursor, such as a
 * keyset query. A JDBC cursor source belongs in the JDBC store module.
 *
 * @param <R> the record type
 */
public interface RecordSource<R> extends AutoCloseable {

    /**
     * Positions the source at the start ({@code cursor} null) or right after the records that an earlier pass
     * had read when {@link #cursor()} returned {@code cursor}.
     *
     * @throws Exception when the source cannot be opened there; the run fails with it
     */
    void open(String cursor) throws Exception;

    /**
     * The next records: exactly {@code max} unless fewer are left; an empty list once the source is used up.
     * The processor does not modify the returned list.
     */
    List<R> read(int max) throws Exception;

    /** The position after the records returned so far, for a later {@link #open}; never null after a read. */
    String cursor();

    /** The number of records in all, when known: it turns counts into a progress fraction. Default: unknown. */
    default OptionalLong size() {
        return OptionalLong.empty();
    }

    /** Releases what the source holds. Called once, also when the run fails. Default: nothing. */
    @Override
    default void close() throws Exception {
    }

    /** A source over a list; its size is known. */
    static <R> RecordSource<R> fromList(List<R> records) {
        Objects.requireNonNull(records, "records");
        return new IteratorSource<>(records::iterator, records.size());
    }

    /**
     * A source over the iterators that {@code iterators} returns; each call must return the same records in the
     * same order. Resuming at cursor n opens a new iterator and skips n records.
     */
    static <R> RecordSource<R> fromIterator(Supplier<? extends Iterator<R>> iterators) {
        Objects.requireNonNull(iterators, "iterators");
        return new IteratorSource<>(iterators, -1);
    }

    /**
     * A source over the streams that {@code streams} returns (closed with the source); each call must return
     * the same records in the same order. Resuming at cursor n skips n records.
     */
    static <R> RecordSource<R> fromStream(Supplier<? extends Stream<R>> streams) {
        Objects.requireNonNull(streams, "streams");
        return new StreamSource<>(streams);
    }

    /** A source over a reader of pages with its own cursor (keyset pagination, a file offset, an API token). */
    static <R> RecordSource<R> paged(PageReader<R> reader) {
        Objects.requireNonNull(reader, "reader");
        return new PagedSource<>(reader);
    }
}
