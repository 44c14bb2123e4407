package dev.sluice.fault.harness;

import dev.sluice.fault.check.ReliabilityReport;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * What all runs of one harness JVM share: the ledger server (a PostgreSQL of the harness's own that no scenario
 * faults), the log directory of the node JVMs and the report. Made once, on first use; the ledger server stops when
 * the JVM exits.
 */
public final class FaultEnvironment {

    private static FaultEnvironment instance;

    private final PostgresServer ledgerServer;
    private final String ledgerUrl;
    private final Path logs;
    private final ReliabilityReport report;
    private int runs;

    private FaultEnvironment() {
        this.ledgerServer = PostgresServer.start("ledger");
        Runtime.getRuntime().addShutdownHook(new Thread(ledgerServer::close, "fault-ledger-stop"));
        ledgerServer.createDatabase("ledger");
        this.ledgerUrl = ledgerServer.jdbcUrl("ledger") + "&reWriteBatchedInserts=true";
        this.logs = Paths.get(System.getProperty("sluice.fault.logs", "target/fault-logs"));
        this.report = new ReliabilityReport(Paths.get(System.getProperty("sluice.fault.report",
                "../docs/reliability.md")), describeMachine());
    }

    public static synchronized FaultEnvironment get() {
        if (instance == null) {
            instance = new FaultEnvironment();
        }
        return instance;
    }

    /** A new run of a scenario on a store of its own; closing the run stops its nodes and its store. */
    public synchronized FaultRun run(String scenario, StoreFixture fixture) {
        runs++;
        String name = String.format("%02d-%s-%s", runs, fixture.kind(), scenario.replaceAll("[^A-Za-z0-9]+", "-"));
        try {
            return new FaultRun(this, scenario, fixture, logs.resolve(name));
        } catch (RuntimeException e) {
            fixture.close();
            throw e;
        }
    }

    String ledgerUrl() {
        return ledgerUrl;
    }

    ReliabilityReport report() {
        return report;
    }

    private static String describeMachine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + ", Java " + System.getProperty("java.version")
                + "; node JVMs -Xmx256m; PostgreSQL and Redis (AOF, appendfsync always) started by the harness;"
                + " leases " + FaultRun.LEASE_MILLIS + " ms, recovery sweep every " + FaultRun.RECOVERY_MILLIS
                + " ms; soak size " + String.format("%,d", Integer.getInteger("sluice.fault.soakJobs", 100_000))
                + " jobs";
    }
}
