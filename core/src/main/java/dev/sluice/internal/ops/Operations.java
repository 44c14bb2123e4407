package dev.sluice.internal.ops;

import dev.sluice.internal.engine.JobEngine;
import dev.sluice.ops.OperationsConfig;
import dev.sluice.ops.RecurringJob;
import dev.sluice.ops.SluiceAdmin;
import dev.sluice.store.JobStore;
import dev.sluice.store.NodeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An engine's part in the cluster's operations, on its own daemon threads: the maintenance lease (taken or
 * renewed every third of it) and the node heartbeat on one thread, so that no work delays a renewal; recurring
 * fires and the audit writer on another; retention sweeps, which may take many batches, on a third. Made with the
 * engine by {@code Sluice.Builder}.
 */
public final class Operations {

    private static final Logger log = LoggerFactory.getLogger(Operations.class);

    private final JobEngine engine;
    private final OperationsConfig config;
    private final List<RecurringJob> recurring;
    private final AuditTrail audit;
    private final JobStore store;
    private final MaintenanceLeader leader;
    private final QueueRates rates = new QueueRates();
    private final RetentionSweeper retention;
    private final ScheduledThreadPoolExecutor leaseThread;
    private final ScheduledThreadPoolExecutor workThread;
    private final ScheduledThreadPoolExecutor retentionThread;
    private final Object lifecycle = new Object();
    private final SluiceAdmin admin;

    private volatile Instant startedAt;
    private String host;
    private boolean started;
    private boolean stopped;

    /**
     * @param audit the audit trail the engine was built with, or null when it is off
     */
    public Operations(JobEngine engine, OperationsConfig config, List<RecurringJob> recurring, AuditTrail audit) {
        this.engine = engine;
        this.config = config;
        this.recurring = List.copyOf(recurring);
        this.audit = audit;
        this.store = engine.timedStore();
        this.leader = new MaintenanceLeader(store, engine.nodeId(), config.leaderLease().toMillis(), engine.clock(),
                config.leaderEligible());
        this.retention = new RetentionSweeper(store, engine.clock(), config.retention(), leader);
        for (RecurringJob job : this.recurring) {
            try {
                engine.checkSubmittable(RecurringFires.requestFor(job, Instant.EPOCH));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("recurring job '" + job.id() + "' cannot be submitted: "
                        + e.getMessage(), e);
            }
        }
        if (audit != null) {
            audit.bind(store, engine.nodeId(), engine.meterRegistry());
        }
        engine.onStats(rates::add);
        this.leaseThread = daemon("sluice-maintenance-lease");
        this.workThread = daemon("sluice-maintenance");
        this.retentionThread = daemon("sluice-retention");
        this.admin = new Admin(engine, this);
    }

    private static ScheduledThreadPoolExecutor daemon(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    /** Starts the lease, heartbeat, recurring, retention and audit loops. Idempotent. */
    public void start() {
        synchronized (lifecycle) {
            if (started || stopped) {
                return;
            }
            started = true;
            startedAt = engine.clock().instant();
            host = hostName();
            long leaseEvery = Math.max(1, config.leaderLease().toMillis() / 3);
            leaseThread.scheduleWithFixedDelay(leader::tick, 0, leaseEvery, TimeUnit.MILLISECONDS);
            leaseThread.scheduleWithFixedDelay(this::heartbeat, 0, config.heartbeatInterval().toMillis(),
                    TimeUnit.MILLISECONDS);
            RecurringFires fires = new RecurringFires(engine, recurring, leader, startedAt);
            long checkEvery = config.recurringCheckInterval().toMillis();
            workThread.scheduleWithFixedDelay(fires::check, checkEvery, checkEvery, TimeUnit.MILLISECONDS);
            if (audit != null) {
                long flushEvery = config.auditFlushInterval().toMillis();
                workThread.scheduleWithFixedDelay(audit::flushSettled, flushEvery, flushEvery, TimeUnit.MILLISECONDS);
                audit.onBatchFull(this::flushAuditSoon);
            }
            if (config.retention().enabled()) {
                long sweepEvery = config.retention().interval().toMillis();
                retentionThread.scheduleWithFixedDelay(retention::sweepIfLeader, sweepEvery, sweepEvery,
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Stops the loops and gives up the maintenance lease, so that another node takes over at once. The audit
     * trail keeps taking entries until {@link #finish()}.
     */
    public void stop() {
        synchronized (lifecycle) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        leaseThread.shutdownNow();
        workThread.shutdown();
        retentionThread.shutdownNow();
        try {
            if (!leaseThread.awaitTermination(5, TimeUnit.SECONDS) || !workThread.awaitTermination(5, TimeUnit.SECONDS)
                    || !retentionThread.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("maintenance threads of node {} did not stop within 5 s", engine.nodeId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leader.resign();
    }

    /** After the engine closed: writes the last audit entries and leaves the node registry. Never throws. */
    public void finish() {
        if (audit != null && !audit.flush()) {
            log.warn("{} audit entries of node {} could not be written at shutdown", audit.pending(),
                    engine.nodeId());
        }
        if (started) {
            try {
                store.removeNode(engine.nodeId());
            } catch (RuntimeException e) {
                log.warn("node {} could not leave the node registry; it drops out when its heartbeat expires",
                        engine.nodeId(), e);
            }
        }
    }

    private void flushAuditSoon() {
        try {
            workThread.execute(audit::flushSettled);
        } catch (RejectedExecutionException e) {
            // stopping: finish() writes what is left
        }
    }

    public SluiceAdmin admin() {
        return admin;
    }

    private void heartbeat() {
        try {
            store.heartbeat(new NodeInfo(engine.nodeId(), host, startedAt, null, engine.workerSlots(),
                    engine.jobsInFlight()), 3 * config.heartbeatInterval().toMillis());
        } catch (RuntimeException e) {
            log.warn("node {} could not send its heartbeat", engine.nodeId(), e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }

    OperationsConfig config() {
        return config;
    }

    List<RecurringJob> recurring() {
        return recurring;
    }

    MaintenanceLeader leader() {
        return leader;
    }

    QueueRates rates() {
        return rates;
    }

    RetentionSweeper retention() {
        return retention;
    }

    AuditTrail audit() {
        return audit;
    }

    JobStore store() {
        return store;
    }
}
