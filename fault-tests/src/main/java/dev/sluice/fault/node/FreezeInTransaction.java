package dev.sluice.fault.node;

import javax.sql.DataSource;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wraps a node's pool so that the node freezes itself (SIGSTOP of its own JVM) once, right after a PostgreSQL
 * fenced write has locked its running rows ({@code ... FOR NO KEY UPDATE}, the first statement of every renewal
 * and completion) and before that transaction commits: a node stalled inside a store transaction, holding row
 * locks, as a long GC pause or a frozen VM leaves it. The harness thaws it (SIGCONT).
 */
final class FreezeInTransaction {

    /** Printed just before the node stops itself. */
    static final String MARKER = "FAULT-NODE-FROZE";
    private static final String LOCKING = "FOR NO KEY UPDATE";

    private final AtomicBoolean armed = new AtomicBoolean(true);

    private FreezeInTransaction() {
    }

    /** The pool, with the freeze armed. */
    static DataSource around(DataSource pool) {
        FreezeInTransaction freeze = new FreezeInTransaction();
        return wrap(DataSource.class, pool, (method, args, result) ->
                method.getName().equals("getConnection") ? freeze.connection((Connection) result) : result);
    }

    private Connection connection(Connection connection) {
        return wrap(Connection.class, connection, (method, args, result) ->
                method.getName().equals("prepareStatement") && ((String) args[0]).contains(LOCKING)
                        ? lockingStatement((PreparedStatement) result) : result);
    }

    private PreparedStatement lockingStatement(PreparedStatement statement) {
        return wrap(PreparedStatement.class, statement, (method, args, result) -> {
            if (method.getName().startsWith("execute") && armed.compareAndSet(true, false)) {
                freezeSelf();
            }
            return result;
        });
    }

    private static void freezeSelf() {
        System.out.println(MARKER + " at=" + System.currentTimeMillis());
        System.out.flush();
        try {
            new ProcessBuilder("kill", "-STOP", Long.toString(ProcessHandle.current().pid())).start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("cannot stop this JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a wrapper does with the result of a call passed on to its target. */
    @FunctionalInterface
    private interface AfterCall {
        Object apply(Method method, Object[] args, Object result);
    }

    /** A proxy of {@code type} that passes every call to {@code target}, then hands the result to {@code after}. */
    private static <T> T wrap(Class<T> type, T target, AfterCall after) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            try {
                return after.apply(method, args, method.invoke(target, args));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
