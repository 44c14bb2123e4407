package dev.sluice.examples.market;

import dev.sluice.examples.market.SimulatedMarketApi.Price;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the jobs keep what they fetched, standing in for the application's database: the latest price of each
 * symbol and the daily history, by symbol and day. Writing the same prices again (a retried batch) changes
 * nothing. Thread-safe.
 */
final class PriceBook {

    private final Map<String, Double> latest = new ConcurrentHashMap<>();
    private final Map<String, Double> daily = new ConcurrentHashMap<>();

    void putLatest(List<Price> prices) {
        for (Price price : prices) {
            latest.put(price.symbol(), price.value());
        }
    }

    void putHistory(List<Price> prices) {
        for (Price price : prices) {
            daily.put(price.symbol() + "@" + price.day(), price.value());
        }
    }

    /** Symbols with a latest price. */
    int latestPrices() {
        return latest.size();
    }

    /** Daily closing prices held, over all symbols. */
    int dailyPrices() {
        return daily.size();
    }
}
