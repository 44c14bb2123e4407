package dev.sluice.fault.harness;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.fault.check.Checker;
import dev.sluice.fault.check.Expectation;
import dev.sluice.fault.check.RunFacts;
import dev.sluice.fault.check.RunFigures;
import dev.sluice.fault.ledger.Ledger;
import dev.sluice.fault.ledger.LedgerEvent;
import dev.sluice.fault.ledger.LedgerReader;
import dev.sluice.fault.node.FaultNode;
import dev.sluice.fault.node.NodeOptions;
import dev.sluice.fault.node.StoreClient;
import dev.sluice.fault.node.Work;
import dev.sluice.store.JobStore;
import dev.sluice.store.StoreStats;
import dev.sluice.store.StoredJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One scenario run: a store of its own, node JVMs, a producer in this JVM, the faults, and at the end the checker's
 * figures (added to the report). Closing it stops the nodes (SIGTERM, then SIGKILL) and the store. Not
 * thread-safe: a scenario drives its run from one thread.
 */
public final class FaultRun implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FaultRun.class);

    public static final int LEASE_MILLIS = 2_000;
    public static final int RECOVERY_MILLIS = 1_000;
    private static final Duration NODE_START = Duration.ofSeconds(60);

    private final FaultEnvironment environment;
    private final String scenario;
    private final StoreFixture fixture;
    private final Path logs;
    private final StoreClient client;
    private final Sluice producer;
    private final Ledger ledger;
    private final LedgerReader ledgerReader;
    private final Map<JobId, Expectation> expected = new ConcurrentHashMap<>();
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private int leaseMillis = LEASE_MILLIS;
    private int sweepMillis = RECOVERY_MILLIS;
    private long recoveryMillis = -1;
    private long storeDownAtMillis = -1;
    private long storeBackAtMillis = -1;

    FaultRun(FaultEnvironment environment, String scenario, StoreFixture fixture, Path logs) {
        this.environment = environment;
        this.scenario = scenario;
        this.fixture = fixture;
        this.logs = logs;
        this.ledgerReader = new LedgerReader(environment.ledgerUrl());
        ledgerReader.reset();
        this.ledger = Ledger.open(environment.ledgerUrl());
        this.client = StoreClient.open(fixture.kind(), fixture.directUrl(), fixture.prefix(), 4, true);
        this.producer = Sluice.builder().store(client.store()).producerOnly(true).nodeId("harness").build();
    }

    public StoreFixture fixture() {
        return fixture;
    }

    /** The harness's own connection to the store (never through the proxy). */
    public JobStore store() {
        return client.store();
    }

    public LedgerReader ledger() {
        return ledgerReader;
    }

    /**
     * Options of a worker node of this run: the store, the ledger, the run's lease and sweep interval (2 s and
     * 1 s unless {@link #leases} changed them), concurrency 8.
     */
    public NodeOptions.Builder nodeOptions(String nodeId) {
        return NodeOptions.builder().nodeId(nodeId).store(fixture.kind(), fixture.nodeUrl(), fixture.prefix())
                .ledgerUrl(environment.ledgerUrl()).leaseMillis(leaseMillis).recoveryMillis(sweepMillis)
                .concurrency(8).maxAttempts(5);
    }

    /** Changes the lease and sweep interval of the nodes started from now on (and the recovery target). */
    public FaultRun leases(int leaseMillis, int sweepMillis) {
        this.leaseMillis = leaseMillis;
        this.sweepMillis = sweepMillis;
        return this;
    }

    /** Starts a node JVM (256 MB heap) and waits until its engine runs. */
    public NodeProcess startNode(NodeOptions.Builder options) {
        return launch(options, "256m", true).awaitReady(NODE_START);
    }

    /** Starts node JVMs (256 MB heap) side by side and waits until all run. */
    public List<NodeProcess> startNodes(NodeOptions.Builder... options) {
        List<NodeProcess> started = new ArrayList<>();
        for (NodeOptions.Builder o : options) {
            started.add(launch(o, "256m", true));
        }
        for (NodeProcess node : started) {
            node.awaitReady(NODE_START);
        }
        return started;
    }

    /** Starts a node JVM without waiting for it (producers, which exit when done). */
    public NodeProcess launch(NodeOptions.Builder options, String heap, boolean fastStartup) {
        NodeProcess node = NodeProcess.start(options.build(), logs, heap, fastStartup);
        nodes.add(node);
        return node;
    }

    /** Submits normal jobs numbered from {@code from}, in batches of 1,000; each must end SUCCEEDED. */
    public List<JobId> submit(long from, int count, int workMillis) {
        long began = System.nanoTime();
        List<JobId> ids = new ArrayList<>(count);
        for (int batch = 0; batch < count; batch += 1_000) {
            List<JobRequest> requests = new ArrayList<>();
            for (int i = batch; i < Math.min(count, batch + 1_000); i++) {
                requests.add(Work.normal(from + i, workMillis).request(5, false));
            }
            ids.addAll(submit(requests, Expectation.SUCCEEDED));
        }
        LOG.info("{}: submitted {} jobs in {} ms", scenario, count, (System.nanoTime() - began) / 1_000_000);
        return ids;
    }

    /** Submits requests (one store call) expected to end as given, and records them in the ledger. */
    public List<JobId> submit(List<JobRequest> requests, Expectation expectation) {
        List<JobId> ids = producer.submitAll(requests);
        List<LedgerEvent> events = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            expected.put(ids.get(i), expectation);
            Object payload = requests.get(i).payload();
            long seq = payload instanceof Work ? ((Work) payload).seq() : -1;
            events.add(LedgerEvent.of(LedgerEvent.Kind.SUBMITTED, ids.get(i), 0, "harness", 0, seq, null));
        }
        ledger.recordAll(events);
        return ids;
    }

    /** Changes how a submitted job must end. */
    public void expect(JobId id, Expectation expectation) {
        expected.put(id, expectation);
    }

    /** Expects every job the store holds now to end as given (jobs submitted by producer nodes). */
    public int expectAllStored(Expectation expectation) {
        int n = 0;
        JobQuery page = new JobQuery(null, null, null, null, 10_000);
        List<StoredJob> jobs;
        do {
            jobs = store().list(page);
            for (StoredJob job : jobs) {
                expected.putIfAbsent(job.id(), expectation);
                n++;
            }
            if (!jobs.isEmpty()) {
                page = page.after(jobs.get(jobs.size() - 1).id());
            }
        } while (jobs.size() == 10_000);
        return n;
    }

    /** Waits until a node (null: any) has recorded at least {@code atLeast} events of a kind. */
    public void awaitEvents(LedgerEvent.Kind kind, String node, long atLeast, Duration timeout) {
        if (!Poll.until(() -> ledgerReader.count(kind, node) >= atLeast, timeout, 20)) {
            throw new IllegalStateException("node " + node + " recorded " + ledgerReader.count(kind, node) + " "
                    + kind + " events, not " + atLeast + ", within " + timeout);
        }
    }

    /** kill -9 of a node; the jobs it held are noted from the store at once (their leases still run). */
    public Fault kill(NodeProcess node) {
        long at = System.currentTimeMillis();
        node.kill();
        return noteFault(node, "kill -9", at);
    }

    /** SIGSTOP of a node (the caller thaws it). */
    public Fault freeze(NodeProcess node) {
        long at = System.currentTimeMillis();
        node.freeze();
        return noteFault(node, "SIGSTOP", at);
    }

    /** After a node froze itself inside a store transaction (node option freezeInTransaction). */
    public Fault frozeItself(NodeProcess node, Duration timeout) {
        long at = node.awaitFrozeItself(timeout);
        return noteFault(node, "SIGSTOP inside a store transaction", at);
    }

    /** After a node halted itself (crash point, poison job): waits for its exit and notes what it held. */
    public Fault halted(NodeProcess node, Duration timeout) {
        node.awaitExit(timeout);
        String line = node.haltLine();
        return noteFault(node, line == null ? "exit" : line.substring(line.indexOf(' ', FaultNode.HALTED_MARKER
                .length() + 1) + 1), node.haltAtMillis() > 0 ? node.haltAtMillis() : System.currentTimeMillis());
    }

    /** Jobs a node holds under lease now (RUNNING in the store with it as lease owner). */
    public long heldBy(String nodeId) {
        return store().list(JobQuery.inState(JobState.RUNNING, 10_000)).stream()
                .filter(job -> nodeId.equals(job.leaseOwner())).count();
    }

    /** Notes the jobs that {@code node} (null: every node) holds under lease now. */
    private Fault noteFault(NodeProcess node, String what, long at) {
        Map<JobId, Long> held = new HashMap<>();
        for (StoredJob job : store().list(JobQuery.inState(JobState.RUNNING, 10_000))) {
            if (node == null || node.nodeId().equals(job.leaseOwner())) {
                held.put(job.id(), job.fencingToken());
            }
        }
        Fault fault = new Fault(node == null ? "all" : node.nodeId(), what, at, Map.copyOf(held));
        faults.add(fault);
        return fault;
    }

    /**
     * Waits until the store has taken back every job the faulted node held (each is no longer RUNNING under the
     * token it had) and returns the time since the fault; also the run's recovery figure.
     */
    public long awaitTakenBack(Fault fault, Duration timeout) {
        return awaitTakenBack(fault, fault.atMillis(), timeout);
    }

    /**
     * As {@link #awaitTakenBack(Fault, Duration)}, timed from {@code sinceMillis} (host millis): a frozen lone node
     * can take its jobs back only once it is thawed.
     */
    public long awaitTakenBack(Fault fault, long sinceMillis, Duration timeout) {
        boolean done = Poll.until(() -> {
            for (StoredJob job : store().findAll(fault.inFlight().keySet())) {
                if (job.state() == JobState.RUNNING && job.fencingToken() == fault.inFlight().get(job.id())) {
                    return false;
                }
            }
            return true;
        }, timeout, 10);
        long took = done ? System.currentTimeMillis() - sinceMillis : Long.MAX_VALUE;
        recoveryMillis = Math.max(recoveryMillis, took);
        return took;
    }

    /**
     * Crashes the store's server and starts it again; throughput is then judged from this restart. The jobs every
     * node held at that moment are the fault's jobs in flight.
     */
    public Fault crashAndRestartStore() {
        Fault fault = noteFault(null, "store crash and restart", System.currentTimeMillis());
        storeDownAtMillis = fault.atMillis();
        fixture.crashAndRestart();
        storeBackAtMillis = System.currentTimeMillis();
        return fault;
    }

    /** Notes a fault that strikes every node at once (dropped connections): they all may lose what they hold. */
    public Fault faultOfAllNodes(String what) {
        return noteFault(null, what, System.currentTimeMillis());
    }

    /** Waits until no job of the store waits or runs (or the timeout passes: the checker then finds them). */
    public boolean awaitAllEnded(Duration timeout) {
        long start = System.nanoTime();
        boolean ended = Poll.until(this::allEnded, timeout, 100);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: completions per 5 s: {}", scenario, Throughput.perWindow(ledgerReader.acceptedTimes(), 5_000));
        }
        LOG.info("{}: {} after {} ms", scenario, ended ? "every job ended" : "jobs still live",
                (System.nanoTime() - start) / 1_000_000);
        return ended;
    }

    /** True when no job of the store waits or runs (one stats read). */
    public boolean allEnded() {
        StoreStats stats = store().stats();
        return stats.total(JobState.WAITING) + stats.total(JobState.SCHEDULED) + stats.total(JobState.READY)
                + stats.total(JobState.RUNNING) == 0;
    }

    /** Waits until a job is in a state. */
    public boolean awaitState(JobId id, JobState state, Duration timeout) {
        return Poll.until(() -> store().find(id).map(j -> j.state() == state).orElse(false), timeout, 50);
    }

    /** Runs the checker, adds the figures to the report and returns them. */
    public RunFigures check() {
        RunFigures figures = figures();
        environment.report().add(figures);
        return figures;
    }

    /** Runs the checker without reporting (the checker's own tests). */
    public RunFigures figures() {
        long start = System.nanoTime();
        // a job held under the same lease at two faults (connections dropped twice) counts once
        Set<Map.Entry<JobId, Long>> held = new HashSet<>();
        for (Fault fault : faults) {
            held.addAll(fault.inFlight().entrySet());
        }
        long inFlight = held.size();
        RunFigures figures = new Checker(store(), fixture, ledgerReader).check(new RunFacts(scenario, fixture.kind(),
                new LinkedHashMap<>(expected), inFlight, recoveryMillis, leaseMillis + sweepMillis,
                storeBackAtMillis < 0 ? -1 : Throughput.backAfter(ledgerReader.acceptedTimes(), storeDownAtMillis,
                        storeBackAtMillis)));
        LOG.info("{}: checked in {} ms: {}", scenario, (System.nanoTime() - start) / 1_000_000, figures);
        return figures;
    }

    public List<Fault> faults() {
        return List.copyOf(faults);
    }

    /** Stops every node still running (SIGTERM, then SIGKILL after 30 s), then the store. */
    @Override
    public void close() {
        try {
            for (NodeProcess node : nodes) {
                if (node.isAlive()) {
                    node.thaw();
                    node.terminate();
                }
            }
            for (NodeProcess node : nodes) {
                try {
                    node.awaitExit(Duration.ofSeconds(30));
                } catch (IllegalStateException e) {
                    node.close();
                }
            }
            producer.close();
            client.close();
            ledger.close();
        } finally {
            fixture.close();
        }
    }
}
