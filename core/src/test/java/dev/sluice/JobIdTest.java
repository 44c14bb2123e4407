package dev.sluice;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobIdTest {

    @Test
    void idsFromOneProcessStrictlyIncrease() {
        JobId previous = JobId.next();
        for (int i = 0; i < 100_000; i++) {
            JobId next = JobId.next();
            assertThat(next).isGreaterThan(previous);
            previous = next;
        }
    }

    @Test
    void idIsAVersion7UuidCarryingItsCreationTime() {
        long before = System.currentTimeMillis();
        JobId id = JobId.next();
        assertThat(id.toUuid().version()).isEqualTo(7);
        assertThat(id.toUuid().variant()).isEqualTo(2);
        assertThat(id.timestampMillis()).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void textFormRoundTrips() {
        JobId id = JobId.next();
        assertThat(JobId.parse(id.toString())).isEqualTo(id).hasSameHashCodeAs(id);
        assertThat(JobId.of(id.mostSignificantBits(), id.leastSignificantBits())).isEqualTo(id);
    }

    @Test
    void badTextIsRejectedNamingIt() {
        assertThatThrownBy(() -> JobId.parse("not-a-uuid"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not-a-uuid");
    }

    @Test
    void concurrentGenerationNeverRepeats() throws Exception {
        Set<JobId> ids = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                Set<JobId> local = new HashSet<>();
                for (int i = 0; i < 20_000; i++) {
                    local.add(JobId.next());
                }
                ids.addAll(local);
                return null;
            }));
        }
        start.countDown();
        for (java.util.concurrent.Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(ids).hasSize(8 * 20_000);
    }
}
