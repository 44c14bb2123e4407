package dev.sluice.batch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class MicroBatcherTest {

    @Test
    void itemsFromManyThreadsAreFlushedOnceEachInBatchesOfAtMostMaxSize() throws Exception {
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        int threads = 8;
        int perThread = 5_000;
        MicroBatcher<Integer> batcher = MicroBatcher.<Integer>builder(batches::add)
                .maxBatchSize(100).maxDelay(Duration.ofSeconds(30)).capacity(1_000).build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    batcher.add(base + i);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(20, TimeUnit.SECONDS);
        }
        pool.shutdown();
        // 40,000 items and a 30 s delay: every batch so far was flushed for its size
        await().atMost(Duration.ofSeconds(20)).until(() -> batcher.pending() == 0);
        assertThat(batches).allSatisfy(b -> assertThat(b).hasSize(100));
        batcher.close();

        ConcurrentHashMap<Integer, Boolean> seen = new ConcurrentHashMap<>();
        batches.forEach(b -> b.forEach(i -> assertThat(seen.put(i, true)).as("item %d flushed twice", i).isNull()));
        assertThat(seen).hasSize(threads * perThread);
    }

    @Test
    void aPartialBatchIsFlushedOnceMaxDelayPassed() throws Exception {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        try (MicroBatcher<String> batcher = MicroBatcher.<String>builder(batches::add)
                .maxBatchSize(100).maxDelay(Duration.ofMillis(50)).build()) {
            long start = System.nanoTime();
            batcher.add("a");
            batcher.add("b");
            await().atMost(Duration.ofSeconds(10)).until(() -> batches.size() == 1);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
            assertThat(batches.get(0)).containsExactly("a", "b");
        }
    }

    @Test
    void flushForcesAPartialBatchAndWaitsForIt() throws Exception {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        try (MicroBatcher<String> batcher = MicroBatcher.<String>builder(batches::add)
                .maxBatchSize(100).maxDelay(Duration.ofHours(1)).build()) {
            batcher.add("a");
            batcher.flush();
            assertThat(batches).containsExactly(List.of("a"));
        }
    }

    @Test
    void closeFlushesWhatWaitsAndRefusesMore() throws Exception {
        List<String> flushed = new CopyOnWriteArrayList<>();
        MicroBatcher<String> batcher = MicroBatcher.<String>builder(flushed::addAll)
                .maxBatchSize(100).maxDelay(Duration.ofHours(1)).build();
        for (int i = 0; i < 250; i++) {
            batcher.add("x" + i);
        }
        batcher.close();
        assertThat(flushed).hasSize(250);
        assertThatThrownBy(() -> batcher.add("late")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void failedFlushesGoToTheErrorHandlerWithTheirItems() throws Exception {
        List<String> deadLetters = new CopyOnWriteArrayList<>();
        try (MicroBatcher<String> batcher = MicroBatcher.<String>builder(b -> {
                    throw new IllegalStateException("database down");
                })
                .maxBatchSize(2).onFlushError((batch, error) -> deadLetters.addAll(batch)).build()) {
            batcher.add("a");
            batcher.add("b");
            batcher.add("c");
            batcher.flush();
            assertThat(deadLetters).containsExactly("a", "b", "c");
            assertThat(batcher.failedItems()).isEqualTo(3);
        }
    }

    @Test
    void aFullBufferRejectsOrBlocksAsConfigured() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch flushing = new CountDownLatch(1);
        List<Integer> flushed = new CopyOnWriteArrayList<>();
        MicroBatcher<Integer> rejecting = MicroBatcher.<Integer>builder(b -> {
                    flushing.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    flushed.addAll(b);
                })
                .maxBatchSize(2).capacity(4).whenFull(MicroBatcher.FullPolicy.REJECT).build();
        rejecting.add(1);
        rejecting.add(2); // flushed at once; the flusher blocks in it
        flushing.await();
        for (int i = 3; i <= 6; i++) {
            rejecting.add(i);
        }
        assertThatThrownBy(() -> rejecting.add(7)).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("4");
        release.countDown();
        rejecting.close();
        assertThat(flushed).containsExactly(1, 2, 3, 4, 5, 6);

        CountDownLatch release2 = new CountDownLatch(1);
        MicroBatcher<Integer> blocking = MicroBatcher.<Integer>builder(b -> {
                    try {
                        release2.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })
                .maxBatchSize(1).capacity(1).build();
        blocking.add(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> blocking.pending() == 0);
        blocking.add(2);
        Thread adder = new Thread(() -> {
            try {
                blocking.add(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        adder.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> adder.getState() == Thread.State.WAITING);
        release2.countDown();
        adder.join(10_000);
        assertThat(adder.isAlive()).isFalse();
        blocking.close();
    }
}
