package dev.sluice.observe;

import dev.sluice.Sluice;
import dev.sluice.store.JobStore;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** Shared pieces of the observability tests. */
final class ObserveTesting {

    static final Duration PATIENCE = Duration.ofSeconds(20);
    static final Duration FAST = Duration.ofMillis(20);

    private ObserveTesting() {
    }

    static Sluice.Builder engine() {
        return Sluice.builder().drainTimeout(Duration.ofSeconds(1));
    }

    /** Observes every 20 ms, so that tests need not wait 5 s for a snapshot. */
    static ObservabilityConfig.Builder fastObserving() {
        return ObservabilityConfig.builder().refreshInterval(FAST);
    }

    /** A real store whose {@code stats()} throws while {@code down} is set, as a store behind a cut network would. */
    static JobStore failingStats(JobStore real, AtomicBoolean down) {
        return (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(), new Class<?>[]{JobStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("stats") && down.get()) {
                        throw new IllegalStateException("connection refused");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
