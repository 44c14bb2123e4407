package dev.sluice.store.contract;

import dev.sluice.store.ResultCacheStore;
import dev.sluice.store.SharedRateLimits;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The optional capabilities a store may add to the SPI: the shared result cache and shared rate limits. Each test
 * is skipped, with the reason, for a store that lacks the capability.
 */
abstract class CapabilitiesContract extends ContractTheme {

    private ResultCacheStore cache() {
        assumeTrue(store instanceof ResultCacheStore, "the store has no shared result cache (ResultCacheStore)");
        return (ResultCacheStore) store;
    }

    private SharedRateLimits limits() {
        assumeTrue(store instanceof SharedRateLimits, "the store has no shared rate limits (SharedRateLimits)");
        return (SharedRateLimits) store;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCachedResultIsServedUntilItsTimeToLiveOnTheStoresClock() {
        ResultCacheStore cache = cache();
        assertThat(cache.findCachedResult("summarize", "k1")).isEmpty();

        cache.saveCachedResult("summarize", "k1", bytes("summary"), 60_000);

        assertThat(cache.findCachedResult("summarize", "k1")).hasValueSatisfying(hit ->
                assertThat(hit.bytes()).asString(StandardCharsets.UTF_8).isEqualTo("summary"));
        assertThat(cache.findCachedResult("translate", "k1")).as("another type").isEmpty();
        clock.advanceMillis(59_999);
        assertThat(cache.findCachedResult("summarize", "k1")).isPresent();
        clock.advanceMillis(1);
        assertThat(cache.findCachedResult("summarize", "k1")).isEmpty();
    }

    @Test
    void aNullResultIsAHitAndALaterSaveReplacesIt() {
        ResultCacheStore cache = cache();
        cache.saveCachedResult("summarize", "empty", null, 60_000);

        assertThat(cache.findCachedResult("summarize", "empty")).hasValueSatisfying(hit ->
                assertThat(hit.bytes()).isNull());
        cache.saveCachedResult("summarize", "empty", bytes("now filled"), 60_000);
        assertThat(cache.findCachedResult("summarize", "empty")).hasValueSatisfying(hit ->
                assertThat(hit.bytes()).asString(StandardCharsets.UTF_8).isEqualTo("now filled"));
    }

    @Test
    void permitsOfAWindowNeverAddUpToMoreThanTheLimit() {
        SharedRateLimits limits = limits();
        clock.advanceMillis(250); // a quarter into a one-second window

        SharedRateLimits.PermitGrant first = limits.takePermits("queue:api", 3, 5, 1000);
        SharedRateLimits.PermitGrant second = limits.takePermits("queue:api", 3, 5, 1000);
        SharedRateLimits.PermitGrant third = limits.takePermits("queue:api", 3, 5, 1000);

        assertThat(first.granted()).isEqualTo(3);
        assertThat(second.granted()).isEqualTo(2);
        assertThat(third.granted()).isZero();
        assertThat(first.millisLeftInWindow()).isEqualTo(750);
        assertThat(limits.takePermits("queue:other", 3, 5, 1000).granted()).as("another limit").isEqualTo(3);

        clock.advanceMillis(750); // the next window
        SharedRateLimits.PermitGrant next = limits.takePermits("queue:api", 3, 5, 1000);
        assertThat(next.granted()).isEqualTo(3);
        assertThat(next.millisLeftInWindow()).isEqualTo(1000);
    }

    @Test
    void racingNodesShareOneWindowsPermits() throws Exception {
        SharedRateLimits limits = limits();

        List<Integer> granted = concurrently(8, t -> {
            int sum = 0;
            for (int i = 0; i < 10; i++) {
                sum += limits.takePermits("type:fetch", 2, 30, 60_000).granted();
            }
            return sum;
        });

        assertThat(granted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
    }
}
