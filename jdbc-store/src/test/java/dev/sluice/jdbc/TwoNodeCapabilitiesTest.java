package dev.sluice.jdbc;

import dev.sluice.store.ResultCacheStore.CachedResult;
import dev.sluice.store.SharedRateLimits.PermitGrant;
import dev.sluice.store.contract.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The shared capabilities seen from two nodes (two store objects on two pools, one set of tables): permits of one
 * limit taken by threads of both nodes at once add up to exactly the limit in each window, a result cached by one
 * node is read by the other, and saves delete expired results in bounded batches on their own. A subclass names the
 * database.
 */
abstract class TwoNodeCapabilitiesTest {

    private static final int THREADS = 8;
    private static final int LIMIT = 100;
    private static final long HUNDRED_YEARS = 100L * 365 * 24 * 3600 * 1000;

    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    private TwoNodes twoNodes;

    /** The database the two nodes share. */
    abstract TwoNodes.Server server();

    /** Two stores on fresh tables reading "now" from {@code clock}, or from the database when it is null. */
    private JdbcJobStore[] openTwoNodes(Clock clock) {
        twoNodes = TwoNodes.open(server(), "caps", clock);
        return twoNodes.stores();
    }

    @AfterEach
    void closeEverything() throws Exception {
        threads.shutdownNow();
        if (twoNodes != null) {
            twoNodes.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void racingNodesAreGrantedExactlyTheLimitInEachWindow() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00.250Z"));
        JdbcJobStore[] nodes = openTwoNodes(clock);

        for (int window = 0; window < 3; window++) {
            assertThat(raceForPermits(nodes, "queue:api", 1_000)).as("window %d", window).isEqualTo(LIMIT);
            clock.advanceMillis(1_000);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void onTheDatabasesClockRacingNodesShareOneWindow() throws Exception {
        JdbcJobStore[] nodes = openTwoNodes(null);

        // windows of 100 years: the race cannot straddle two of them
        assertThat(raceForPermits(nodes, "type:fetch", HUNDRED_YEARS)).isEqualTo(LIMIT);
    }

    /** Threads of both nodes take 3 permits at a time until the window is spent; returns the sum granted. */
    private int raceForPermits(JdbcJobStore[] nodes, String name, long periodMillis) throws Exception {
        CyclicBarrier together = new CyclicBarrier(THREADS);
        List<Future<Integer>> takers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            JdbcJobStore node = nodes[t % 2];
            takers.add(threads.submit(() -> {
                together.await(10, TimeUnit.SECONDS);
                int sum = 0;
                while (true) {
                    PermitGrant grant = node.takePermits(name, 3, LIMIT, periodMillis);
                    assertThat(grant.granted()).isBetween(0, 3);
                    assertThat(grant.millisLeftInWindow()).isBetween(1L, periodMillis);
                    if (grant.granted() == 0) {
                        return sum;
                    }
                    sum += grant.granted();
                }
            }));
        }
        int granted = 0;
        for (Future<Integer> taker : takers) {
            granted += taker.get(30, TimeUnit.SECONDS);
        }
        return granted;
    }

    @Test
    void aResultCachedByOneNodeIsReadByTheOther() {
        JdbcJobStore[] nodes = openTwoNodes(null);
        String longKey = "k".repeat(200) + "ключ";

        nodes[0].saveCachedResult("summarize", longKey, bytes("summary"), 60_000);
        nodes[0].saveCachedResult("summarize", "nothing", null, 60_000);
        nodes[0].saveCachedResult("summarize", "empty", new byte[0], 60_000);

        assertThat(nodes[1].findCachedResult("summarize", longKey)).hasValueSatisfying(hit ->
                assertThat(hit.bytes()).asString(StandardCharsets.UTF_8).isEqualTo("summary"));
        assertThat(nodes[1].findCachedResult("summarize", "nothing")).as("a null result is a hit")
                .hasValueSatisfying(hit -> assertThat(hit.bytes()).isNull());
        assertThat(nodes[1].findCachedResult("summarize", "empty")).as("an empty result is not a null one")
                .hasValueSatisfying(hit -> assertThat(hit.bytes()).isEmpty());
        assertThat(nodes[1].findCachedResult("summarize", "k".repeat(200))).as("another key").isEmpty();

        nodes[1].saveCachedResult("summarize", longKey, bytes("newer"), 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> nodes[0].findCachedResult("summarize", longKey).isEmpty());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void savesDeleteExpiredResultsInBoundedBatchesWithoutPurge() {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        JdbcJobStore node = openTwoNodes(clock)[0];
        saveMany(node, "old", 600); // saves 1-600: every 100th sweeps, and finds nothing expired
        clock.advanceMillis(1_000);

        saveMany(node, "new-a", 100); // save 700 sweeps 500 of the 600 expired rows
        assertThat(twoNodes.rowsIn("result_cache")).isEqualTo(100 + 100);
        saveMany(node, "new-b", 100); // save 800 sweeps the last 100
        assertThat(twoNodes.rowsIn("result_cache")).isEqualTo(200);
        assertThat(node.findCachedResult("t", "new-a-7")).isPresent();
    }

    private static void saveMany(JdbcJobStore node, String keyPrefix, int count) {
        for (int i = 0; i < count; i++) {
            node.saveCachedResult("t", keyPrefix + "-" + i, bytes("r"), 1_000);
        }
    }

    @Test
    void badValuesAreRefusedNamingThem() {
        JdbcJobStore node = openTwoNodes(null)[0];

        assertThatThrownBy(() -> node.takePermits("queue:api", 0, 5, 1_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but were 0, 5, 1000 (limit 'queue:api')");
        assertThatThrownBy(() -> node.takePermits("queue:api", 1, -1, 1_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but were 1, -1, 1000");
        assertThatThrownBy(() -> node.takePermits("queue:api", 1, 5, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but were 1, 5, 0");
        assertThatThrownBy(() -> node.takePermits("n".repeat(256), 1, 5, 1_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 255 characters but was 256");
        assertThatThrownBy(() -> node.takePermits(null, 1, 5, 1_000))
                .isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> node.saveCachedResult("summarize", "k", null, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was 0 (type 'summarize')");
        assertThatThrownBy(() -> node.saveCachedResult("t".repeat(129), "k", null, 1_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 128 characters but was 129");
        assertThatThrownBy(() -> node.findCachedResult("summarize", null))
                .isInstanceOf(NullPointerException.class).hasMessage("key");
        Optional<CachedResult> nothing = node.findCachedResult("summarize", "k");
        assertThat(nothing).as("nothing was stored by the refused calls").isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
