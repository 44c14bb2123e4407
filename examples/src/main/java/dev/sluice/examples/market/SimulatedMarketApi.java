package dev.sluice.examples.market;

import dev.sluice.examples.support.Dice;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A market data vendor's API as a client sees it: each call takes its time (around {@code latencyMillis}, from half
 * to one and a half times it) and a share of calls answer 503, thrown as an {@link IOException} for the caller to
 * retry. Which calls fail is fixed by the seed, the request (endpoint and first symbol) and how often that request
 * was made before, so a run with the same seed fails the same requests the same number of times whatever the order
 * threads call in. Prices are made up from the symbol and the day. Thread-safe.
 */
final class SimulatedMarketApi {

    /** One price of one symbol on one day. */
    record Price(String symbol, LocalDate day, double value) {
    }

    private final long seed;
    private final long latencyMillis;
    private final double failureRate;
    private final LocalDate today;
    private final Map<String, AtomicInteger> timesAsked = new ConcurrentHashMap<>();
    private final LongAdder calls = new LongAdder();
    private final LongAdder failures = new LongAdder();

    SimulatedMarketApi(long seed, long latencyMillis, double failureRate, LocalDate today) {
        this.seed = seed;
        this.latencyMillis = latencyMillis;
        this.failureRate = failureRate;
        this.today = today;
    }

    /** Today's price of each symbol, from {@code endpoint} ("quotes", "index-levels"). */
    List<Price> latest(String endpoint, List<String> symbols) throws IOException, InterruptedException {
        call(endpoint, symbols);
        List<Price> prices = new ArrayList<>(symbols.size());
        for (String symbol : symbols) {
            prices.add(new Price(symbol, today, priceOf(symbol, today)));
        }
        return prices;
    }

    /** The daily closing prices of the last {@code days} days before today, of each symbol. */
    List<Price> history(List<String> symbols, int days) throws IOException, InterruptedException {
        call("history", symbols);
        List<Price> prices = new ArrayList<>(symbols.size() * days);
        for (String symbol : symbols) {
            for (int d = days; d >= 1; d--) {
                LocalDate day = today.minusDays(d);
                prices.add(new Price(symbol, day, priceOf(symbol, day)));
            }
        }
        return prices;
    }

    /** Calls made, failed ones included. */
    long calls() {
        return calls.sum();
    }

    /** Calls that answered 503. */
    long failures() {
        return failures.sum();
    }

    private void call(String endpoint, List<String> symbols) throws IOException, InterruptedException {
        String request = endpoint + ":" + symbols.get(0) + ":" + symbols.size();
        int asked = timesAsked.computeIfAbsent(request, r -> new AtomicInteger()).incrementAndGet();
        calls.increment();
        double latency = latencyMillis * (0.5 + Dice.roll(seed, request, asked, 1));
        Thread.sleep((long) latency);
        if (Dice.roll(seed, request, asked, 2) < failureRate) {
            failures.increment();
            throw new IOException("market API answered 503 Service Unavailable to " + endpoint + " for "
                    + symbols.size() + " symbols from " + symbols.get(0) + " (simulated, call " + asked + ")");
        }
    }

    private double priceOf(String symbol, LocalDate day) {
        double base = 10 + 490 * Dice.roll(seed, symbol);
        double move = 0.96 + 0.08 * Dice.roll(seed, symbol, day.toEpochDay());
        return Math.round(base * move * 100) / 100.0;
    }
}
