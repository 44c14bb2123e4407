package dev.sluice.cache;

import dev.sluice.JobInfo;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class ResultCacheTest {

    static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void cacheHitCompletesTheJobWithTheCachedResultWithoutCallingTheHandler() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Sluice sluice = Sluice.builder()
                .drainTimeout(Duration.ofSeconds(1))
                .meterRegistry(meters)
                .handler("render", String.class, (page, ctx) -> "<html>" + page + " #" + calls.incrementAndGet())
                .resultCache("render", ResultCacheConfig.defaults())
                .build().start()) {
            for (int i = 0; i < 5; i++) {
                JobInfo done = sluice.await(sluice.submit("render", "home"), PATIENCE);
                assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
                assertThat(done.result(String.class)).contains("<html>home #1");
            }
            JobInfo other = sluice.await(sluice.submit("render", "about"), PATIENCE);
            assertThat(other.result(String.class)).contains("<html>about #2");

            assertThat(calls).hasValue(2);
            assertThat(meters.get("sluice.cache.requests").tag("type", "render").tag("result", "hit").counter()
                    .count()).isEqualTo(4.0);
            assertThat(meters.get("sluice.cache.requests").tag("type", "render").tag("result", "miss").counter()
                    .count()).isEqualTo(2.0);
        }
    }

    @Test
    void keyFunctionDecidesWhichPayloadsShareAResult() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Sluice sluice = Sluice.builder()
                .drainTimeout(Duration.ofSeconds(1))
                .handler("quote", String.class, (symbol, ctx) -> symbol.trim().toUpperCase() + " " + calls.incrementAndGet())
                .resultCache("quote", ResultCacheConfig.builder()
                        .keyFunction(p -> ((String) p).trim().toUpperCase()).build())
                .build().start()) {
            JobInfo first = sluice.await(sluice.submit("quote", "acme"), PATIENCE);
            JobInfo second = sluice.await(sluice.submit("quote", " ACME "), PATIENCE);

            assertThat(second.result(String.class)).isEqualTo(first.result(String.class)).contains("ACME 1");
            assertThat(calls).hasValue(1);
        }
    }

    @Test
    void evictedEntriesAreCountedAndRunAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Sluice sluice = Sluice.builder()
                .drainTimeout(Duration.ofSeconds(1))
                .meterRegistry(meters)
                .handler("square", Integer.class, (n, ctx) -> {
                    calls.incrementAndGet();
                    return n * n;
                })
                .resultCache("square", ResultCacheConfig.builder().maxEntries(1).build())
                .build().start()) {
            for (int n = 1; n <= 3; n++) {
                sluice.await(sluice.submit("square", n), PATIENCE);
            }
            assertThat(meters.get("sluice.cache.evictions").tag("type", "square").counter().count())
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(calls).hasValue(3);
        }
    }

    @Test
    void aResultCachedOnOneNodeServesAnotherNodeThroughTheStore() throws Exception {
        InMemoryJobStore store = InMemoryJobStore.builder().build();
        AtomicInteger firstCalls = new AtomicInteger();
        AtomicInteger secondCalls = new AtomicInteger();
        SimpleMeterRegistry secondMeters = new SimpleMeterRegistry();
        try (Sluice first = summarizer(store, firstCalls, new SimpleMeterRegistry(), Duration.ofHours(24))) {
            assertThat(first.await(first.submit("summarize", "doc-1"), PATIENCE).result(String.class))
                    .contains("summary of doc-1");
        }
        try (Sluice second = summarizer(store, secondCalls, secondMeters, Duration.ofHours(24))) {
            JobInfo done = second.await(second.submit("summarize", "doc-1"), PATIENCE);
            assertThat(done.result(String.class)).contains("summary of doc-1");
        }
        assertThat(firstCalls).hasValue(1);
        assertThat(secondCalls).hasValue(0);
        assertThat(secondMeters.get("sluice.cache.requests").tags("type", "summarize", "result", "store_hit")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void aZeroStoreTimeToLiveKeepsResultsOnTheNode() throws Exception {
        InMemoryJobStore store = InMemoryJobStore.builder().build();
        AtomicInteger calls = new AtomicInteger();
        for (int node = 0; node < 2; node++) {
            try (Sluice sluice = summarizer(store, calls, new SimpleMeterRegistry(), Duration.ZERO)) {
                sluice.await(sluice.submit("summarize", "doc-1"), PATIENCE);
            }
        }
        assertThat(calls).hasValue(2);
    }

    private static Sluice summarizer(InMemoryJobStore store, AtomicInteger calls, SimpleMeterRegistry meters,
                                     Duration storeTimeToLive) {
        return Sluice.builder().store(store).drainTimeout(Duration.ofSeconds(1)).meterRegistry(meters)
                .handler("summarize", String.class, (doc, ctx) -> {
                    calls.incrementAndGet();
                    return "summary of " + doc;
                })
                .resultCache("summarize", ResultCacheConfig.builder().storeTimeToLive(storeTimeToLive).build())
                .build().start();
    }

    @Test
    void badSizesAndTimesAreRejectedNamingTheValue() {
        assertThatThrownBy(() -> ResultCacheConfig.builder().storeTimeToLive(Duration.ofMillis(10)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("storeTimeToLive")
                .hasMessageContaining("PT0.01S");
        assertThatThrownBy(() -> ResultCacheConfig.builder().maxEntries(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxEntries").hasMessageContaining("0");
        assertThatThrownBy(() -> ResultCacheConfig.builder().timeToLive(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeToLive")
                .hasMessageContaining("PT0S");
        assertThat(ResultCacheConfig.defaults().maxEntries()).isEqualTo(100);
        assertThat(ResultCacheConfig.defaults().timeToLive()).isEqualTo(Duration.ofMinutes(1));
    }
}
