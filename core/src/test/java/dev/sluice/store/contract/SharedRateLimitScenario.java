package dev.sluice.store.contract;

import dev.sluice.JobRequest;
import dev.sluice.QueueConfig;
import dev.sluice.Sluice;
import dev.sluice.resilience.RateLimit;
import dev.sluice.store.JobStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * The engine-level check of a rate limit counted across the cluster, for any store with {@code SharedRateLimits}:
 * one engine per given store (the stores share one backing service, or are one store), all on a clock that stands
 * still, share a queue limit of 6 starts per second. Exactly 6 jobs start per window, whichever node starts them,
 * and no more until the test moves the clock to the next window.
 */
public final class SharedRateLimitScenario {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int PER_WINDOW = 6;

    private SharedRateLimitScenario() {
    }

    /** Runs the scenario over {@code windows} windows; the engines are closed at the end. */
    public static void assertNodesShareOneLimit(List<? extends JobStore> nodeStores, MutableClock clock, int windows) {
        AtomicInteger started = new AtomicInteger();
        RateLimit limit = RateLimit.of(PER_WINDOW, Duration.ofSeconds(1)).acrossCluster();
        List<Sluice> engines = new ArrayList<>();
        try {
            for (int n = 0; n < nodeStores.size(); n++) {
                engines.add(Sluice.builder().store(nodeStores.get(n)).clock(clock).nodeId("node-" + n)
                        .drainTimeout(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                        .queue(QueueConfig.of("api", 4))
                        .handler("call", String.class, (p, ctx) -> {
                            started.incrementAndGet();
                            return null;
                        })
                        .queueRateLimit("api", limit)
                        .build().start());
            }
            List<JobRequest> requests = new ArrayList<>();
            for (int i = 0; i < PER_WINDOW * (windows + 1); i++) {
                requests.add(JobRequest.builder("call").queue("api").payload("c" + i).build());
            }
            engines.get(0).submitAll(requests);

            for (int w = 1; w <= windows; w++) {
                int expected = PER_WINDOW * w;
                await().atMost(PATIENCE).until(() -> started.get() == expected);
                await().during(Duration.ofMillis(400)).atMost(PATIENCE).until(() -> started.get() == expected);
                clock.advance(Duration.ofSeconds(1));
            }
        } finally {
            engines.forEach(Sluice::close);
        }
    }
}
