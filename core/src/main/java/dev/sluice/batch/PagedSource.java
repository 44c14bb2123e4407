package dev.sluice.batch;

import java.util.ArrayList;
import java.util.List;

/**
 * A source over a {@link PageReader}. One read asks for as many pages as it takes to fill the batch, each for
 * the records still missing, so that the cursor after a batch falls exactly on the batch boundary.
 */
final class PagedSource<R> implements RecordSource<R> {

    private final PageReader<R> reader;
    private String cursor;
    private boolean ended;

    PagedSource(PageReader<R> reader) {
        this.reader = reader;
    }

    // The processor's cursor wraps the reader's: "start", "at:<reader cursor>" or "end", so that a run that
    // resumes after the last page does not read it again.
    @Override
    public void open(String position) {
        if (position == null || position.equals("start")) {
            cursor = null;
        } else if (position.equals("end")) {
            ended = true;
        } else if (position.startsWith("at:")) {
            cursor = position.substring(3);
        } else {
            throw new IllegalArgumentException("cursor must be 'start', 'end' or 'at:...' but was '" + position + "'");
        }
    }

    @Override
    public List<R> read(int max) throws Exception {
        List<R> records = new ArrayList<>(Math.min(max, 4096));
        while (!ended && records.size() < max) {
            int wanted = max - records.size();
            PageReader.Page<R> page = reader.readPage(cursor, wanted);
            if (page == null) {
                throw new IllegalStateException("the page reader returned null after cursor '" + cursor + "'");
            }
            if (page.records().size() > wanted) {
                throw new IllegalStateException("the page reader returned " + page.records().size()
                        + " records when asked for at most " + wanted + " after cursor '" + cursor + "'");
            }
            records.addAll(page.records());
            if (page.nextCursor() == null || page.records().isEmpty()) {
                ended = true;
            }
            if (page.nextCursor() != null) {
                cursor = page.nextCursor();
            }
        }
        return records;
    }

    @Override
    public String cursor() {
        return ended ? "end" : cursor == null ? "start" : "at:" + cursor;
    }
}
