package dev.sluice.examples.documents;

import java.util.Locale;

/**
 * The payload of every stage of the pipeline: which document. The result cache keys each stage's result by this
 * payload, so the same document submitted again is served from the cache.
 *
 * @param corpus the collection the document belongs to (a run of the example, unless given with --corpus)
 * @param number its number in the corpus, from 1
 */
public record Document(String corpus, int number) {

    /** Where the document is downloaded from. */
    public String url() {
        return String.format(Locale.ROOT, "https://docs.example.com/%s/doc-%04d.pdf", corpus, number);
    }

    /** A short name for output: {@code doc-0007}. */
    public String name() {
        return String.format(Locale.ROOT, "doc-%04d", number);
    }
}
