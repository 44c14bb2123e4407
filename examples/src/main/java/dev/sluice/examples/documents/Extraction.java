package dev.sluice.examples.documents;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the extract stage takes out of a downloaded text, and hands to the summarizer through the job graph.
 *
 * @param title     the first line
 * @param words     words in the body
 * @param sentences the body's sentences, in order
 * @param keywords  the five most frequent words of six letters or more, most frequent first
 */
public record Extraction(String title, int words, List<String> sentences, List<String> keywords) {

    public Extraction {
        sentences = List.copyOf(sentences);
        keywords = List.copyOf(keywords);
    }

    /** Extracts from a text whose first line is its title. */
    static Extraction of(String text) {
        int newline = text.indexOf('\n');
        String title = newline < 0 ? text.strip() : text.substring(0, newline).strip();
        String body = newline < 0 ? "" : text.substring(newline + 1);
        List<String> sentences = new ArrayList<>();
        for (String sentence : body.split("(?<=\\.)\\s+")) {
            if (!sentence.isBlank()) {
                sentences.add(sentence.strip());
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        int words = 0;
        for (String word : body.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            if (!word.isEmpty()) {
                words++;
                if (word.length() >= 6) {
                    counts.merge(word, 1, Integer::sum);
                }
            }
        }
        List<String> keywords = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(5).map(Map.Entry::getKey).toList();
        return new Extraction(title, words, sentences, keywords);
    }
}
