package dev.sluice.internal.observe;

import dev.sluice.JobState;
import dev.sluice.store.QueueStats;
import dev.sluice.store.StoreStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Gauges per queue and state fed by the latest store stats snapshot: a scrape reads the snapshot, never the
 * store. A queue's gauges are registered the first time it appears (the served queues at once); past
 * {@link #MAX_QUEUES} queues no more are added, so a store with many queue names cannot blow up the registry.
 */
final class QueueGauges {

    static final int MAX_QUEUES = 200;
    private static final Logger log = LoggerFactory.getLogger(QueueGauges.class);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Set<String> registered = new HashSet<>();
    private volatile StoreStats latest;
    private boolean warned;

    QueueGauges(MeterRegistry registry, Clock clock, Set<String> servedQueues) {
        this.registry = registry;
        this.clock = clock;
        for (String queue : servedQueues) {
            register(queue);
        }
    }

    void update(StoreStats stats) {
        latest = stats;
        for (String queue : stats.queues().keySet()) {
            if (!registered.contains(queue)) {
                if (registered.size() >= MAX_QUEUES) {
                    if (!warned) {
                        warned = true;
                        log.warn("the store holds more than {} queues; gauges for queue '{}' and later ones are"
                                + " not published", MAX_QUEUES, queue);
                    }
                    continue;
                }
                register(queue);
            }
        }
    }

    private void register(String queue) {
        registered.add(queue);
        for (JobState state : JobState.values()) {
            Gauge.builder("sluice.queue.jobs", this, g -> g.count(queue, state))
                    .tag("queue", queue).tag("state", state.name().toLowerCase(Locale.ROOT))
                    .description("Jobs in the store per queue and state, from the stats snapshot")
                    .register(registry);
        }
        Gauge.builder("sluice.queue.oldest.ready.age", this, g -> g.oldestReadyAgeSeconds(queue))
                .tag("queue", queue).baseUnit("seconds")
                .description("How long the longest-waiting READY job of the queue has waited")
                .register(registry);
    }

    private double count(String queue, JobState state) {
        StoreStats s = latest;
        QueueStats q = s == null ? null : s.queues().get(queue);
        return q == null ? 0 : q.count(state);
    }

    private double oldestReadyAgeSeconds(String queue) {
        StoreStats s = latest;
        QueueStats q = s == null ? null : s.queues().get(queue);
        if (q == null || q.oldestReadyAt() == null) {
            return 0;
        }
        return Math.max(0, Duration.between(q.oldestReadyAt(), clock.instant()).toMillis() / 1000.0);
    }
}
