package dev.sluice.jdbc.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The subscribers of one store and what wakes them: changes made through this store (at once, in process), a
 * fallback poll that asks the database whether due work exists (catches delayed jobs that became due and work
 * from nodes that cannot notify), and on PostgreSQL a LISTEN connection. All of them are hints: dispatchers read
 * the tables. Thread-safe.
 */
public final class WakeUps implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WakeUps.class);

    private final CopyOnWriteArrayList<Runnable> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicLong subscriberFailures = new AtomicLong();
    private final long pollMillis;
    private final String storeName;
    private BooleanSupplier dueWorkProbe = () -> false;
    private AutoCloseable listener;
    private ListenerFactory listenerFactory;
    private ScheduledExecutorService poller;
    private ScheduledFuture<?> pollTask;

    /** Starts a LISTEN loop that calls {@link #signalLocal} on each notification. */
    @FunctionalInterface
    public interface ListenerFactory {
        AutoCloseable start(Runnable onNotification);
    }

    public WakeUps(long pollMillis, String storeName) {
        this.pollMillis = pollMillis;
        this.storeName = storeName;
    }

    /** The poll's question to the database: is any job due? Set once while the store is being built. */
    public void dueWorkProbe(BooleanSupplier probe) {
        this.dueWorkProbe = probe;
    }

    public void listenerFactory(ListenerFactory factory) {
        this.listenerFactory = factory;
    }

    public synchronized AutoCloseable subscribe(Runnable onWork) {
        Objects.requireNonNull(onWork, "onWork");
        Runnable registration = onWork::run; // a distinct object, so closing removes this subscription only
        subscribers.add(registration);
        startIfNeeded();
        return () -> unsubscribe(registration);
    }

    private synchronized void unsubscribe(Runnable registration) {
        subscribers.remove(registration);
        if (subscribers.isEmpty()) {
            stop();
        }
    }

    private void startIfNeeded() {
        if (poller == null) {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "sluice-jdbc-poll-" + storeName);
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            poller = executor;
            pollTask = poller.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        }
        if (listener == null && listenerFactory != null) {
            listener = listenerFactory.start(this::signalLocal);
        }
    }

    private void poll() {
        try {
            if (!subscribers.isEmpty() && dueWorkProbe.getAsBoolean()) {
                signalLocal();
            }
        } catch (RuntimeException e) {
            LOG.debug("wake-up poll of store {} failed; the next poll tries again", storeName, e);
        }
    }

    /** Runs every subscriber on the calling thread; a throwing subscriber is logged once and ignored. */
    public void signalLocal() {
        for (Runnable subscriber : subscribers) {
            try {
                subscriber.run();
            } catch (RuntimeException e) {
                if (subscriberFailures.getAndIncrement() == 0) {
                    LOG.warn("A work subscriber of JDBC job store {} threw; this and later throws are ignored "
                            + "(logged once)", storeName, e);
                }
            }
        }
    }

    private void stop() {
        if (pollTask != null) {
            pollTask.cancel(false);
            poller.shutdownNow();
            pollTask = null;
            poller = null;
        }
        if (listener != null) {
            try {
                listener.close();
            } catch (Exception e) {
                LOG.debug("closing the LISTEN connection of store {} failed", storeName, e);
            }
            listener = null;
        }
    }

    @Override
    public synchronized void close() {
        subscribers.clear();
        stop();
    }
}
