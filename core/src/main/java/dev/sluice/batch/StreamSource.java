package dev.sluice.batch;

import java.util.Iterator;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** A source over re-openable streams; the stream is closed with the source. Not thread-safe. */
final class StreamSource<R> extends IteratorSource<R> {

    private final Supplier<? extends Stream<R>> streams;
    private Stream<R> stream;

    StreamSource(Supplier<? extends Stream<R>> streams) {
        super(null, -1);
        this.streams = streams;
    }

    @Override
    Iterator<R> openIterator() {
        stream = streams.get();
        if (stream == null) {
            throw new IllegalStateException("the stream supplier returned null");
        }
        return stream.iterator();
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
    }
}
