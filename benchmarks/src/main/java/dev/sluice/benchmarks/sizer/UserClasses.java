package dev.sluice.benchmarks.sizer;

import dev.sluice.JobHandler;
import dev.sluice.batch.BatchHandler;

import java.lang.reflect.InvocationTargetException;

/** Loads the handler and payload factory that the command and the JMH mode are given by class name. */
final class UserClasses {

    private UserClasses() {
    }

    /**
     * A new instance of {@code className} through its public no-argument constructor.
     *
     * @throws IllegalArgumentException naming the class when it cannot be loaded or made, or is not a {@code kind}
     */
    static <T> T instantiate(String className, Class<T> kind) {
        try {
            Class<?> cls = Class.forName(className);
            if (!kind.isAssignableFrom(cls)) {
                throw new IllegalArgumentException(className + " is not a " + kind.getName());
            }
            return kind.cast(cls.getConstructor().newInstance());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("class '" + className + "' is not on the classpath", e);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalArgumentException(className + " needs a public no-argument constructor", e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("the constructor of " + className + " threw " + e.getCause(), e);
        }
    }

    /** True when {@code className} is a {@link BatchHandler}, false when a {@link JobHandler}. */
    static boolean isBatchHandler(String className) {
        try {
            Class<?> cls = Class.forName(className);
            if (BatchHandler.class.isAssignableFrom(cls)) {
                return true;
            }
            if (JobHandler.class.isAssignableFrom(cls)) {
                return false;
            }
            throw new IllegalArgumentException(className + " is neither a JobHandler nor a BatchHandler");
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("handler class '" + className + "' is not on the classpath", e);
        }
    }

    /** The named factory, or the default: null payloads for jobs, the index (a Long) for batch records. */
    static PayloadFactory<?> payloads(String className, boolean batch) {
        if (className == null || className.isEmpty()) {
            return batch ? (PayloadFactory<Long>) index -> index : index -> null;
        }
        return instantiate(className, PayloadFactory.class);
    }
}
