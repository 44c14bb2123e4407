package dev.sluice.examples.documents;

import dev.sluice.examples.support.Dice;

import java.util.Random;
import java.util.concurrent.atomic.LongAdder;

/**
 * The web server the documents come from: a download takes its time (from half to one and a half times
 * {@code latencyMillis}) and returns the document's text: a title line, then paragraphs. The text is made up
 * from the seed and the document's address, so a document always has the same text. Thread-safe.
 */
final class DocumentServer {

    private static final String[] WORDS = {"revenue", "margin", "customer", "platform", "quarter", "growth",
            "pipeline", "contract", "forecast", "supplier", "logistics", "inventory", "pricing", "regional",
            "digital", "service", "retention", "capacity", "investment", "operating", "market", "product",
            "strategy", "partner", "delivery", "budget", "headcount", "renewal", "segment", "outlook"};

    private final long seed;
    private final long latencyMillis;
    private final LongAdder downloads = new LongAdder();

    DocumentServer(long seed, long latencyMillis) {
        this.seed = seed;
        this.latencyMillis = latencyMillis;
    }

    /** The document's text: its title on the first line, then paragraphs of sentences. */
    String download(Document document) throws InterruptedException {
        downloads.increment();
        Thread.sleep((long) (latencyMillis * (0.5 + Dice.roll(seed, document.url()))));
        Random random = new Random(Dice.mix(seed ^ document.url().hashCode()));
        StringBuilder text = new StringBuilder("Report ").append(document.number()).append(": ")
                .append(word(random)).append(" and ").append(word(random)).append('\n');
        for (int paragraph = 3 + random.nextInt(4); paragraph > 0; paragraph--) {
            for (int sentence = 3 + random.nextInt(4); sentence > 0; sentence--) {
                String first = word(random);
                text.append(Character.toUpperCase(first.charAt(0))).append(first.substring(1));
                for (int w = 5 + random.nextInt(9); w > 0; w--) {
                    text.append(' ').append(word(random));
                }
                text.append(". ");
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** Downloads served. */
    long downloads() {
        return downloads.sum();
    }

    private static String word(Random random) {
        return WORDS[random.nextInt(WORDS.length)];
    }
}
