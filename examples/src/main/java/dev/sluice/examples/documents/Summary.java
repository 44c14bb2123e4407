package dev.sluice.examples.documents;

import java.util.List;

/**
 * The summarize stage's result, the pipeline's end.
 *
 * @param title       the document's title
 * @param text        the summary
 * @param keywords    the document's keywords
 * @param sourceWords words in the document's body
 */
public record Summary(String title, String text, List<String> keywords, int sourceWords) {

    public Summary {
        keywords = List.copyOf(keywords);
    }
}
