package dev.sluice.internal.engine;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes worker threads: virtual ones on Java 21+ when asked, else platform daemon threads. Core compiles with
 * {@code --release 17}, so virtual threads are reached by reflection, once per engine start.
 */
final class WorkerThreads {

    private WorkerThreads() {
    }

    /** True when this JVM has virtual threads (Java 21+). */
    static boolean virtualThreadsAvailable() {
        return virtualFactory("probe-") != null;
    }

    /** A factory of virtual threads when asked for and available, else of platform daemon threads. */
    static ThreadFactory factory(String prefix, boolean virtual) {
        if (virtual) {
            ThreadFactory factory = virtualFactory(prefix);
            if (factory != null) {
                return factory;
            }
        }
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** {@code Thread.ofVirtual().name(prefix, 1).factory()}, or null before Java 21. */
    private static ThreadFactory virtualFactory(String prefix) {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
            Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
            return (ThreadFactory) factory.invoke(builder);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
