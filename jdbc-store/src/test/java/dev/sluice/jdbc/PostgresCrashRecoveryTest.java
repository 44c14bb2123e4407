package dev.sluice.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.JobEvent;
import dev.sluice.JobId;
import dev.sluice.JobListener;
import dev.sluice.JobQuery;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import dev.sluice.store.StoredJob;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three engines, each with its own pool, on one PostgreSQL schema; one of them crashes mid-run: its pool is
 * closed under it (active connections aborted) and the engine is abandoned without close(), so it drains
 * nothing and hands nothing back. The crash comes while that node has jobs mid-attempt (after its first
 * {@value #RUNS_BEFORE_CRASH} runs, its handlers hold their jobs until the crash) and more claimed ahead; its
 * writes fail from then on. The two survivors take its RUNNING jobs back once their short leases expire
 * and finish everything: no job is lost, no job has two accepted completions, and only jobs whose lease was
 * lost ran twice.
 */
class PostgresCrashRecoveryTest {

    private static final int JOBS = 20_000;
    private static final int CRASHED = 2;
    private static final int RUNS_BEFORE_CRASH = 200;

    private final String schema = TestDatabases.uniqueName("crash");
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        // The crashed engine is closed here only so that its threads stop failing in the background of later
        // tests. That close takes about 20 s: its completion writer, already at its 5 s backoff, gives up only
        // after 5 more failed writes (core's CompletionBatcher).
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        TestDatabases.execute(TestDatabases.postgres(), "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void survivorsRecoverTheJobsOfACrashedNodeWithoutLosingOrDoublyCompletingAny() {
        Map<JobId, AtomicInteger> executions = new ConcurrentHashMap<>();
        Set<JobId> executedOnCrashedNode = ConcurrentHashMap.newKeySet();
        Map<JobId, AtomicInteger> acceptedCompletions = new ConcurrentHashMap<>();
        Set<JobId> leaseLost = ConcurrentHashMap.newKeySet();
        Set<JobId> recoveredBySurvivors = ConcurrentHashMap.newKeySet();
        List<SimpleMeterRegistry> meters = new ArrayList<>();
        List<HikariDataSource> pools = new ArrayList<>();
        List<Sluice> nodes = new ArrayList<>();
        Set<JobId> heldRunning = ConcurrentHashMap.newKeySet();
        CountDownLatch crashed = new CountDownLatch(1);
        for (int n = 0; n < 3; n++) {
            int node = n;
            HikariDataSource pool = TestDatabases.newPostgresPool("sluice-crash-node-" + n, 6);
            pools.add(pool);
            JdbcJobStore store = JdbcJobStore.builder(pool).schema(schema).createSchema(true).build();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            meters.add(registry);
            JobListener events = JobListener.of(
                    EnumSet.of(JobEvent.Kind.SUCCEEDED, JobEvent.Kind.LEASE_LOST, JobEvent.Kind.RECOVERED), e -> {
                        switch (e.kind()) {
                            case SUCCEEDED -> acceptedCompletions.computeIfAbsent(e.jobId(), id -> new AtomicInteger())
                                    .incrementAndGet();
                            case LEASE_LOST -> leaseLost.add(e.jobId());
                            case RECOVERED -> {
                                if (node != CRASHED) {
                                    recoveredBySurvivors.add(e.jobId());
                                }
                            }
                            default -> throw new IllegalStateException("unexpected event " + e);
                        }
                    });
            Sluice sluice = Sluice.builder().store(store).nodeId("crash-node-" + n).concurrency(16).claimAhead(64)
                    .leaseDuration(Duration.ofSeconds(1)).recoveryInterval(Duration.ofMillis(200))
                    .drainTimeout(Duration.ofMillis(500))
                    // A survivor starved of CPU may lose a lease too; such a job must not run out of attempts.
                    .retryPolicy(RetryPolicy.builder().maxAttempts(10).build())
                    .meterRegistry(registry).listener(events)
                    .handler("noop", String.class, (payload, context) -> {
                        executions.computeIfAbsent(context.jobId(), id -> new AtomicInteger()).incrementAndGet();
                        if (node == CRASHED) {
                            executedOnCrashedNode.add(context.jobId());
                            if (executedOnCrashedNode.size() > RUNS_BEFORE_CRASH) {
                                // Later jobs stay running until the crash, so that it surely catches some
                                // mid-attempt; they end after it, and their completions cannot be written.
                                if (crashed.getCount() > 0) {
                                    heldRunning.add(context.jobId());
                                    crashed.await(30, TimeUnit.SECONDS);
                                }
                            }
                        }
                        return null;
                    })
                    .build();
            toClose.add(pool);
            toClose.add(store);
            toClose.add(sluice);
            nodes.add(sluice);
        }
        nodes.forEach(Sluice::start);

        Set<JobId> submitted = new HashSet<>();
        List<JobRequest> chunk = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            chunk.add(JobRequest.of("noop", "job-" + i));
            if (chunk.size() == 1_000) {
                submitted.addAll(nodes.get(i % 2).submitAll(chunk)); // the survivors submit
                chunk.clear();
            }
        }
        assertThat(submitted).hasSize(JOBS);

        Sluice victim = nodes.get(CRASHED);
        await().atMost(Duration.ofSeconds(30)).until(() -> !heldRunning.isEmpty());
        int heldAtCrash = victim.jobsInFlight();
        // The crash: every connection of its pool is aborted, in use or not, and the pool refuses new ones.
        // The engine is not closed: its workers, completion writer and lease keeper go on, and fail.
        pools.get(CRASHED).close();
        Set<JobId> runningAtCrash = Set.copyOf(heldRunning);
        crashed.countDown();

        Sluice survivor = nodes.get(0);
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                .until(() -> survivor.stats().total(JobState.SUCCEEDED) == JOBS);

        List<StoredJob> all = listAll(nodes.get(1));
        assertThat(all).as("no job lost").hasSize(JOBS)
                .allSatisfy(job -> assertThat(job.state()).isEqualTo(JobState.SUCCEEDED));
        assertThat(executions.keySet()).as("every job ran").containsExactlyInAnyOrderElementsOf(submitted);

        assertThat(acceptedCompletions.values()).as("no job has two accepted completions")
                .allSatisfy(count -> assertThat(count).hasValue(1));
        // A completion the crashed node had in flight may have committed as its connection was aborted: the
        // job is SUCCEEDED but no node saw the write accepted. Only jobs that node ran may be in that case.
        Set<JobId> unseen = new HashSet<>(submitted);
        unseen.removeAll(acceptedCompletions.keySet());
        assertThat(unseen).as("jobs finished without an accepted completion seen by a node")
                .isSubsetOf(executedOnCrashedNode);

        Set<JobId> ranTwice = new HashSet<>();
        executions.forEach((id, count) -> {
            if (count.get() > 1) {
                ranTwice.add(id);
            }
        });
        Set<JobId> lostTheirLease = new HashSet<>(recoveredBySurvivors);
        lostTheirLease.addAll(leaseLost);
        assertThat(ranTwice).as("only jobs whose lease was lost ran more than once").isSubsetOf(lostTheirLease);

        double recovered = meters.get(0).counter("sluice.leases.recovered").count()
                + meters.get(1).counter("sluice.leases.recovered").count();
        assertThat(recovered).as("sluice.leases.recovered on the survivors").isPositive();
        assertThat(recoveredBySurvivors).as("recovered jobs").isNotEmpty();
        assertThat(recoveredBySurvivors).as("the jobs running on the crashed node").containsAll(runningAtCrash);
        System.out.printf("crashed node held %d jobs (%d running) at the crash; survivors recovered %d (meter"
                        + " %.0f); %d jobs ran twice; %d finished without a seen completion%n", heldAtCrash,
                runningAtCrash.size(), recoveredBySurvivors.size(), recovered, ranTwice.size(), unseen.size());
    }

    private static List<StoredJob> listAll(Sluice node) {
        List<StoredJob> all = new ArrayList<>();
        JobQuery page = new JobQuery(null, null, null, null, 10_000);
        List<StoredJob> batch;
        while (!(batch = node.store().list(page)).isEmpty()) {
            all.addAll(batch);
            page = page.after(batch.get(batch.size() - 1).id());
        }
        return all;
    }
}
