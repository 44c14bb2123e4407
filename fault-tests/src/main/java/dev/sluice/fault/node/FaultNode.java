package dev.sluice.fault.node;

import dev.sluice.JobEvent;
import dev.sluice.JobId;
import dev.sluice.JobListener;
import dev.sluice.JobRequest;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import dev.sluice.fault.ledger.Ledger;
import dev.sluice.fault.ledger.LedgerEvent;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.JobStore;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * The main class of a node JVM started by the harness: a {@link Sluice} engine on the store under test, running
 * the test job ({@link WorkHandler}) until SIGTERM (graceful close) or a kill; or a producer that submits jobs
 * and exits. Options come from {@code -Dfault.*} ({@link NodeOptions}). The node prints {@link #READY_MARKER}
 * once its engine runs, and {@link #HALTED_MARKER} just before it halts at a crash point or on a poison job.
 */
public final class FaultNode {

    public static final String READY_MARKER = "FAULT-NODE-READY";
    public static final String HALTED_MARKER = "FAULT-NODE-HALT";
    public static final String STOPPED_MARKER = "FAULT-NODE-STOPPED";
    public static final String FROZE_MARKER = FreezeInTransaction.MARKER;

    private FaultNode() {
    }

    public static void main(String[] args) throws Exception {
        NodeOptions options = NodeOptions.from(System.getProperties());
        Ledger ledger = Ledger.open(options.ledgerUrl());
        StoreClient client = StoreClient.open(options.storeKind(), options.storeUrl(), options.storePrefix(),
                options.poolSize(), false, options.freezeInTransaction());
        LedgerStore recording = new LedgerStore(client.store(), ledger, options.nodeId());
        JobStore engineStore = withCrashPoint(options.slowWritesMillis() > 0
                ? new SlowWritesStore(recording, options.slowWritesMillis()) : recording, options.crash());
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofMillis(options.clockSkewMillis()));
        if (options.role() == NodeOptions.Role.PRODUCER) {
            produce(options, engineStore, clock, ledger);
            ledger.close();
            client.close();
            return;
        }
        Sluice sluice = Sluice.builder()
                .store(engineStore)
                .nodeId(options.nodeId())
                .clock(clock)
                .concurrency(options.concurrency())
                .claimAhead(options.claimAhead())
                .leaseDuration(Duration.ofMillis(options.leaseMillis()))
                .recoveryInterval(Duration.ofMillis(options.recoveryMillis()))
                .pollInterval(Duration.ofMillis(options.pollMillis()))
                .drainTimeout(Duration.ofMillis(options.drainMillis()))
                .handler(Work.TYPE, Work.class, new WorkHandler(ledger, recording, options.nodeId()),
                        RetryPolicy.builder().maxAttempts(options.maxAttempts())
                                .initialInterval(Duration.ofMillis(100)).maxInterval(Duration.ofSeconds(1)).build(),
                        null)
                .listener(JobListener.of(EnumSet.of(JobEvent.Kind.LEASE_LOST),
                        event -> leaseLost(ledger, recording, options.nodeId(), event)))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sluice.close();
            client.close();
            ledger.close();
            System.out.println(STOPPED_MARKER + " " + options.nodeId());
            System.out.flush();
        }, "fault-node-close"));
        sluice.start();
        System.out.println(READY_MARKER + " " + options.nodeId());
        System.out.flush();
        new CountDownLatch(1).await(); // until SIGTERM runs the hook, or a kill
    }

    /**
     * Halts the JVM at once (no shutdown hook, no drain: as kill -9) after printing {@link #HALTED_MARKER}, the
     * time and why.
     */
    static void halt(int status, String why) {
        System.out.println(HALTED_MARKER + " at=" + System.currentTimeMillis() + " " + why);
        System.out.flush();
        Runtime.getRuntime().halt(status);
    }

    private static JobStore withCrashPoint(JobStore store, String crash) {
        if (crash == null) {
            return store;
        }
        int at = crash.indexOf('@');
        CrashPoint point = CrashPoint.parse(at < 0 ? crash : crash.substring(0, at));
        int nth = at < 0 ? 1 : Integer.parseInt(crash.substring(at + 1));
        return new CrashPointStore(store, point, nth);
    }

    private static void leaseLost(Ledger ledger, LedgerStore claims, String node, JobEvent event) {
        ClaimedJob claim = claims.claimOf(event.jobId());
        ledger.record(LedgerEvent.of(LedgerEvent.Kind.LEASE_LOST, event.jobId(),
                claim == null ? 0 : claim.fencingToken(), node, event.attempt(), -1, event.error()));
    }

    /** Submits the numbers from..from+count-1 in batches (shuffled when asked) and records each id it got back. */
    private static void produce(NodeOptions options, JobStore store, Clock clock, Ledger ledger) {
        List<Long> numbers = new ArrayList<>(options.submitCount());
        for (long seq = options.submitFrom(); seq < options.submitFrom() + options.submitCount(); seq++) {
            numbers.add(seq);
        }
        if (options.submitShuffleSeed() != 0) {
            Collections.shuffle(numbers, new Random(options.submitShuffleSeed()));
        }
        try (Sluice producer = Sluice.builder().store(store).nodeId(options.nodeId()).clock(clock)
                .producerOnly(true).build()) {
            for (int from = 0; from < numbers.size(); from += options.submitBatch()) {
                List<Long> batch = numbers.subList(from, Math.min(numbers.size(), from + options.submitBatch()));
                List<JobRequest> requests = new ArrayList<>(batch.size());
                for (long seq : batch) {
                    requests.add(Work.normal(seq, options.submitWorkMillis())
                            .request(options.maxAttempts(), options.submitUniqueKeys()));
                }
                List<JobId> ids = producer.submitAll(requests);
                List<LedgerEvent> events = new ArrayList<>(ids.size());
                for (int i = 0; i < ids.size(); i++) {
                    events.add(LedgerEvent.of(LedgerEvent.Kind.SUBMITTED, ids.get(i), 0, options.nodeId(), 0,
                            batch.get(i), null));
                }
                ledger.recordAll(events);
            }
        }
        System.out.println("FAULT-NODE-SUBMITTED " + numbers.size());
    }
}
