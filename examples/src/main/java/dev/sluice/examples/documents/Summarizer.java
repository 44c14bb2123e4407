package dev.sluice.examples.documents;

import dev.sluice.examples.support.Dice;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The summarizing service, as flaky as such services are: a call takes from half to one and a half times
 * {@code latencyMillis}; a share of calls fail (which ones is fixed by the seed, the document and how often it was
 * asked before); and from its {@code outageAfter}-th call the service is down for {@code outageMillis}, failing every
 * call at once with a 503: the outage the circuit breaker in front of it is there for. Thread-safe.
 */
final class Summarizer {

    private final long seed;
    private final long latencyMillis;
    private final double failureRate;
    private final int outageAfter;
    private final long outageNanos;
    private final AtomicInteger calls = new AtomicInteger();
    private final LongAdder failures = new LongAdder();
    private final Map<String, AtomicInteger> timesAsked = new ConcurrentHashMap<>();
    private volatile long outageStartNanos;
    private volatile boolean outageStarted;

    /** @param outageAfter the call that starts the outage (0: no outage) */
    Summarizer(long seed, long latencyMillis, double failureRate, int outageAfter, long outageMillis) {
        this.seed = seed;
        this.latencyMillis = latencyMillis;
        this.failureRate = failureRate;
        this.outageAfter = outageAfter;
        this.outageNanos = outageMillis * 1_000_000;
    }

    Summary summarize(Document document, Extraction extraction) throws IOException, InterruptedException {
        int call = calls.incrementAndGet();
        if (call == outageAfter) {
            outageStartNanos = System.nanoTime();
            outageStarted = true;
        }
        if (outageStarted && System.nanoTime() - outageStartNanos < outageNanos) {
            failures.increment();
            throw new IOException("summarizer answered 503 Service Unavailable (simulated outage)");
        }
        int asked = timesAsked.computeIfAbsent(document.url(), url -> new AtomicInteger()).incrementAndGet();
        Thread.sleep((long) (latencyMillis * (0.5 + Dice.roll(seed, document.url(), asked, 1))));
        if (Dice.roll(seed, document.url(), asked, 2) < failureRate) {
            failures.increment();
            throw new IOException("summarizer timed out on " + document.name() + " (simulated, call " + asked + ")");
        }
        String lead = extraction.sentences().isEmpty() ? "" : extraction.sentences().get(0);
        String text = (lead.length() > 100 ? lead.substring(0, 100) + "..." : lead) + " (" + extraction.words()
                + " words; on " + String.join(", ", extraction.keywords()) + ")";
        return new Summary(extraction.title(), text, extraction.keywords(), extraction.words());
    }

    /** Calls made, failed ones included. */
    int calls() {
        return calls.get();
    }

    /** Calls that failed. */
    long failures() {
        return failures.sum();
    }
}
