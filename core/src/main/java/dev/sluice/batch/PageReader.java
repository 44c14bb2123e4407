package dev.sluice.batch;

import java.util.List;
import java.util.Objects;

/**
 * Reads records page by page from a position of its own, for {@link RecordSource#paged}. The cursor is any
 * string the reader understands (the last key read, an offset, a continuation token); the same cursor must
 * always lead to the same following records, so that batch boundaries stay the same when a run resumes.
 *
 * @param <R> the record type
 */
@FunctionalInterface
public interface PageReader<R> {

    /**
     * Reads at most {@code max} records following {@code cursor} (null: from the start).
     *
     * @return the records and the cursor after them; an empty page once nothing is left
     */
    Page<R> readPage(String cursor, int max) throws Exception;

    /**
     * One page.
     *
     * @param records    the records read, at most the asked number; empty at the end
     * @param nextCursor the position after them; null means the end was reached
     */
    record Page<R>(List<R> records, String nextCursor) {
        public Page {
            Objects.requireNonNull(records, "records");
        }

        /** A page after which nothing is left. */
        public static <R> Page<R> last(List<R> records) {
            return new Page<>(records, null);
        }
    }
}
