package dev.sluice.fault.harness;

import dev.sluice.JobId;

import java.util.List;

/**
 * The store under test in one run: a server of the run's own (so that a scenario may crash or restart it), the
 * settings nodes connect with, and the raw access that a scenario needs to damage the store and that the checker
 * needs to verify its invariants.
 */
public interface StoreFixture extends AutoCloseable {

    /** "postgres" or "redis" (the node option {@code fault.store}). */
    String kind();

    /** What nodes connect to: the server, or the proxy once {@link #openProxy()} was called. */
    String nodeUrl();

    /** What the harness connects to: always the server itself. */
    String directUrl();

    /** The PostgreSQL schema or Redis key prefix of the run. */
    String prefix();

    /** Puts a TCP proxy in front of the server for nodes started from now on. */
    TcpProxy openProxy();

    /** Stops the server at once (as a crash) and starts it again on the same data. */
    void crashAndRestart();

    /** Overwrites the stored payload bytes of a job. */
    void corruptPayload(JobId id, byte[] bytes);

    /**
     * Breaches of the store's own invariants, in words: every job in exactly one state, and what that state implies
     * (a lease exactly when RUNNING, a finish time exactly when finished, the index structures and counters that
     * the store keeps agreeing with the jobs). Empty when all hold.
     */
    List<String> invariantViolations();

    @Override
    void close();
}
