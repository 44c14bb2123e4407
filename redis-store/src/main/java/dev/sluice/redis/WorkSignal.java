package dev.sluice.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wake-ups of {@link RedisJobStore#subscribe}: the scripts PUBLISH on the store's work channel when they make
 * work ready (enqueue, release, retry, resume, recovery), and every subscriber is called once per message. A
 * Cluster store has one channel per slot group and listens to them all through one pattern; Cluster pub/sub hands
 * a message published on any node to subscribers on every node. A
 * message is only a hint (pub/sub drops messages while a connection is down), so subscribers are also called
 * every poll interval. Started with the first subscriber; callbacks run on one daemon thread of the store, never
 * on Lettuce's event loop.
 */
final class WorkSignal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkSignal.class);

    private final RedisLink link;
    private final String channel;
    private final boolean pattern;
    private final Duration pollInterval;
    private final CopyOnWriteArrayList<Runnable> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicLong failures = new AtomicLong();
    /** Set while a notification is queued: a burst of messages costs one round of callbacks. */
    private final AtomicBoolean pending = new AtomicBoolean();

    private ScheduledExecutorService callbacks;
    private StatefulRedisPubSubConnection<String, String> connection;
    private boolean closed;

    /** On {@code channel}, or on every channel that matches it when {@code pattern} (PSUBSCRIBE). */
    WorkSignal(RedisLink link, String channel, boolean pattern, Duration pollInterval) {
        this.link = link;
        this.channel = channel;
        this.pattern = pattern;
        this.pollInterval = pollInterval;
    }

    synchronized AutoCloseable subscribe(Runnable onWork) {
        if (closed) {
            throw new IllegalStateException("the Redis job store is closed");
        }
        Runnable registration = onWork::run; // a distinct object, so closing removes this subscription only
        subscribers.add(registration);
        if (callbacks == null) {
            start();
        }
        return () -> subscribers.remove(registration);
    }

    private void start() {
        callbacks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sluice-redis-wakeups");
            thread.setDaemon(true);
            return thread;
        });
        long pollMillis = pollInterval.toMillis();
        callbacks.scheduleWithFixedDelay(this::notifySubscribers, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        connection = link.connectPubSub();
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                onMessage();
            }

            @Override
            public void message(String matched, String from, String message) {
                onMessage();
            }
        });
        if (pattern) {
            connection.sync().psubscribe(channel);
        } else {
            connection.sync().subscribe(channel);
        }
    }

    private void onMessage() {
        ScheduledExecutorService executor = callbacks;
        if (executor != null && pending.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    pending.set(false);
                    notifySubscribers();
                });
            } catch (RejectedExecutionException e) {
                pending.set(false); // closing: nobody is listening any more
            }
        }
    }

    private void notifySubscribers() {
        for (Runnable subscriber : subscribers) {
            try {
                subscriber.run();
            } catch (RuntimeException e) {
                if (failures.getAndIncrement() == 0) {
                    LOG.warn("A work subscriber of the Redis job store threw; this and later throws are ignored "
                            + "(logged once)", e);
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        subscribers.clear();
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (callbacks != null) {
            callbacks.shutdownNow();
            callbacks = null;
        }
    }
}
