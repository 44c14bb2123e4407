package dev.sluice.store;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.store.contract.MutableClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of store calls, checked step by step against a small reference model of the contract:
 * claim order and bounds, state after every call, counts per queue and state, and that every job is in exactly
 * one state.
 */
class InMemoryJobStoreModelTest {

    private static final long AGING_STEP = 1_000;
    private static final long LEASE = 2_000;
    private static final List<String> QUEUES = List.of("q0", "q1");
    private static final String[] TENANTS = {null, "t0", "t1"};

    sealed interface Op permits Enqueue, Claim, Complete, Cancel, Reprioritize, Retry, Recover, Advance, Pause {
    }

    record Enqueue(int count, int priority, int queue, int tenant, int delay, int maxAttempts) implements Op {
    }

    record Claim(int maxTotal, int perQueue, int maxPerTenant) implements Op {
    }

    record Complete(int pick, Completion.Outcome outcome, int delay, boolean stale) implements Op {
    }

    record Cancel(int pick) implements Op {
    }

    record Reprioritize(int pick, int priority) implements Op {
    }

    record Retry(int pick) implements Op {
    }

    record Recover() implements Op {
    }

    record Advance(int millis) implements Op {
    }

    record Pause(int queue, boolean pause) implements Op {
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void storeBehavesLikeTheModel(@ForAll("operations") List<Op> operations) {
        new Run().execute(operations);
    }

    /**
     * The ready queue under the store, alone (runs per priority plus the out-of-order heap): random adds, polls,
     * removals from the middle and re-ranks against a sorted set. Store sequences rarely remove from the middle
     * of a large queue, hence this property.
     */
    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void readyQueueKeepsTheOrderOfASortedSet(@ForAll("queueOperations") List<Integer> operations) {
        ReadyQueue queue = new ReadyQueue();
        TreeSet<MemJob> reference = new TreeSet<>(
                (a, b) -> JobHeap.readyBefore(a, b) ? -1 : JobHeap.readyBefore(b, a) ? 1 : 0);
        List<MemJob> queued = new ArrayList<>();
        long clock = 0;
        for (int operation : operations) {
            int kind = operation % 5;
            int argument = operation / 5;
            if (kind <= 1 || queued.isEmpty()) {
                // mostly in order (the clock moves forward), sometimes from the past (a retry, a promotion)
                clock += argument % 3;
                long readyAt = argument % 4 == 0 ? clock - argument % 50 : clock;
                Priority priority = Priority.ofWeight(argument % 4 == 1 ? 3 : argument % 2);
                MemJob job = new MemJob(new NewJob(JobId.next(), "t", "q", priority, new byte[0], 0, 1, 0, null,
                        null, 0));
                job.readyAtMillis = readyAt;
                job.sortKey = priority.sortKey(readyAt, 10);
                queue.add(job);
                reference.add(job);
                queued.add(job);
            } else if (kind == 2) {
                MemJob polled = queue.poll();
                assertThat(polled).isSameAs(reference.pollFirst());
                queued.remove(polled);
            } else if (kind == 3) {
                MemJob job = queued.remove(argument % queued.size());
                reference.remove(job);
                queue.remove(job);
            } else {
                MemJob job = queued.get(argument % queued.size());
                reference.remove(job);
                queue.remove(job);
                job.priority = Priority.ofWeight(argument % 4);
                job.sortKey = job.priority.sortKey(job.readyAtMillis, 10);
                queue.add(job);
                reference.add(job);
            }
            assertThat(queue.peek()).isSameAs(reference.isEmpty() ? null : reference.first());
            assertThat(queue.size()).isEqualTo(reference.size());
            assertThat(queue.minReadyAt()).isEqualTo(reference.stream().mapToLong(j -> j.readyAtMillis).min()
                    .orElse(MemJob.NONE));
        }
        List<MemJob> drained = new ArrayList<>();
        for (MemJob job; (job = queue.poll()) != null; ) {
            drained.add(job);
        }
        assertThat(drained).containsExactlyElementsOf(reference);
    }

    @Provide
    Arbitrary<List<Integer>> queueOperations() {
        return Arbitraries.integers().between(0, 9_999).list().ofMaxSize(300);
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 1_000);
        Arbitrary<Op> enqueue = Combinators.combine(Arbitraries.integers().between(1, 5),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, 2), Arbitraries.of(0, 0, 0, 700, 2_500),
                Arbitraries.integers().between(1, 3)).as(Enqueue::new);
        Arbitrary<Op> claim = Combinators.combine(Arbitraries.integers().between(0, 8),
                Arbitraries.integers().between(1, 8), Arbitraries.of(1, 2, Integer.MAX_VALUE)).as(Claim::new);
        Arbitrary<Op> complete = Combinators.combine(small, Arbitraries.of(Completion.Outcome.class),
                Arbitraries.of(0, 0, 1_500), Arbitraries.of(false, false, false, true)).as(Complete::new);
        return Arbitraries.frequencyOf(
                Tuple.of(6, enqueue),
                Tuple.of(6, claim),
                Tuple.of(6, complete),
                Tuple.of(2, small.map(Cancel::new)),
                Tuple.of(1, Combinators.combine(small, Arbitraries.integers().between(0, 3))
                        .as(Reprioritize::new)),
                Tuple.of(1, small.map(Retry::new)),
                Tuple.of(2, Arbitraries.just(new Recover())),
                Tuple.of(4, Arbitraries.of(1, 300, 1_000, 2_500).map(Advance::new)),
                Tuple.of(1, Combinators.combine(Arbitraries.integers().between(0, 1),
                        Arbitraries.of(true, false)).as(Pause::new)))
                .list().ofMinSize(1).ofMaxSize(60);
    }

    /** What the contract says one job looks like. */
    private static final class ModelJob {
        final JobId id;
        final String queue;
        final String tenant;
        final int maxAttempts;
        Priority priority;
        JobState state;
        long readyAt;
        long runAt;
        int attempts;
        long token;
        long leaseExpiresAt;
        boolean cancelRequested;

        ModelJob(JobId id, String queue, String tenant, int maxAttempts, Priority priority) {
            this.id = id;
            this.queue = queue;
            this.tenant = tenant;
            this.maxAttempts = maxAttempts;
            this.priority = priority;
        }

        /** A SCHEDULED job whose run-at has passed is READY since its run-at (stores promote it lazily). */
        JobState effectiveState(long now) {
            return state == JobState.SCHEDULED && runAt <= now ? JobState.READY : state;
        }

        long effectiveReadyAt() {
            return state == JobState.SCHEDULED ? runAt : readyAt;
        }

        long sortKey() {
            return priority.sortKey(effectiveReadyAt(), AGING_STEP);
        }
    }

    private static final class Run {
        final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        final InMemoryJobStore store = InMemoryJobStore.builder().clock(clock)
                .agingStep(Duration.ofMillis(AGING_STEP)).retainFinished(100_000).build();
        final Map<JobId, ModelJob> jobs = new LinkedHashMap<>();
        final Set<String> paused = new HashSet<>();
        long lastToken;

        void execute(List<Op> operations) {
            for (Op op : operations) {
                apply(op);
                checkStates();
            }
            checkEveryJobIsInExactlyOneState();
        }

        long now() {
            return clock.millis();
        }

        List<ModelJob> sortedJobs() {
            List<ModelJob> all = new ArrayList<>(jobs.values());
            all.sort(Comparator.comparing(j -> j.id));
            return all;
        }

        ModelJob pick(int pick) {
            List<ModelJob> all = sortedJobs();
            return all.isEmpty() ? null : all.get(pick % all.size());
        }

        void apply(Op op) {
            if (op instanceof Enqueue e) {
                enqueue(e);
            } else if (op instanceof Claim c) {
                claim(c);
            } else if (op instanceof Complete c) {
                complete(c);
            } else if (op instanceof Cancel c) {
                cancel(c);
            } else if (op instanceof Reprioritize r) {
                reprioritize(r);
            } else if (op instanceof Retry r) {
                retry(r);
            } else if (op instanceof Recover) {
                recover();
            } else if (op instanceof Advance a) {
                clock.advanceMillis(a.millis());
            } else if (op instanceof Pause p) {
                String queue = QUEUES.get(p.queue());
                if (p.pause()) {
                    store.pauseQueue(queue);
                    paused.add(queue);
                } else {
                    store.resumeQueue(queue);
                    paused.remove(queue);
                }
                assertThat(store.pausedQueues()).isEqualTo(paused);
            }
        }

        void enqueue(Enqueue e) {
            List<NewJob> batch = new ArrayList<>();
            for (int i = 0; i < e.count(); i++) {
                Priority priority = Priority.ofWeight((e.priority() + i) % 4);
                String queue = QUEUES.get((e.queue() + i) % 2);
                String tenant = TENANTS[(e.tenant() + i) % 3];
                long runAt = e.delay() == 0 ? 0 : now() + e.delay();
                NewJob job = new NewJob(JobId.next(), "t", queue, priority, new byte[0], runAt, e.maxAttempts(), 0,
                        null, tenant, now());
                batch.add(job);
                ModelJob model = new ModelJob(job.id(), queue, tenant, e.maxAttempts(), priority);
                if (runAt > now()) {
                    model.state = JobState.SCHEDULED;
                    model.runAt = runAt;
                } else {
                    model.state = JobState.READY;
                    model.readyAt = now();
                }
                jobs.put(job.id(), model);
            }
            assertThat(store.enqueue(batch)).noneMatch(EnqueueResult::duplicate);
        }

        void claim(Claim c) {
            long now = now();
            List<ModelJob> due = new ArrayList<>();
            for (ModelJob job : jobs.values()) {
                if (job.effectiveState(now) == JobState.READY && !paused.contains(job.queue)) {
                    due.add(job);
                }
            }
            due.sort(Comparator.comparingLong(ModelJob::sortKey).thenComparing(j -> j.id));
            List<ModelJob> expected = new ArrayList<>();
            Map<String, Integer> perQueue = new HashMap<>();
            Map<String, Integer> perTenant = new HashMap<>();
            for (ModelJob job : due) {
                if (expected.size() >= c.maxTotal()) {
                    break;
                }
                if (perQueue.getOrDefault(job.queue, 0) >= c.perQueue()) {
                    continue;
                }
                String tenantKey = job.queue + "/" + job.tenant;
                if (job.tenant != null && perTenant.getOrDefault(tenantKey, 0) >= c.maxPerTenant()) {
                    continue;
                }
                expected.add(job);
                perQueue.merge(job.queue, 1, Integer::sum);
                perTenant.merge(tenantKey, 1, Integer::sum);
            }
            List<QueueClaim> queues = new ArrayList<>();
            for (String queue : QUEUES) {
                queues.add(new QueueClaim(queue, c.perQueue(), c.maxPerTenant(), Map.of()));
            }

            ClaimBatch batch = store.claim(new ClaimRequest("node", LEASE, c.maxTotal(), queues));

            assertThat(batch.jobs()).extracting(ClaimedJob::id)
                    .containsExactlyElementsOf(expected.stream().map(j -> j.id).toList());
            for (ClaimedJob claimed : batch.jobs()) {
                ModelJob job = jobs.get(claimed.id());
                assertThat(claimed.fencingToken()).isGreaterThan(lastToken);
                assertThat(claimed.readyAtMillis()).isEqualTo(job.effectiveReadyAt());
                lastToken = claimed.fencingToken();
                job.readyAt = job.effectiveReadyAt();
                job.state = JobState.RUNNING;
                job.attempts++;
                job.token = claimed.fencingToken();
                job.leaseExpiresAt = now + LEASE;
                assertThat(claimed.attempt()).isEqualTo(job.attempts);
            }
        }

        void complete(Complete c) {
            long now = now();
            List<ModelJob> running = sortedJobs().stream().filter(j -> j.state == JobState.RUNNING).toList();
            if (running.isEmpty() || c.stale()) {
                ModelJob target = running.isEmpty() ? pick(c.pick()) : running.get(c.pick() % running.size());
                if (target == null) {
                    return;
                }
                long token = target.state == JobState.RUNNING ? target.token - 1 : target.token;
                assertThat(store.completeAll(List.of(new Completion(target.id, token, c.outcome(), null, "e",
                        now)))).containsExactly(WriteResult.STALE);
                return;
            }
            ModelJob job = running.get(c.pick() % running.size());
            long runAt = now + c.delay();
            assertThat(store.completeAll(List.of(new Completion(job.id, job.token, c.outcome(), null, "e",
                    runAt)))).containsExactly(WriteResult.ACCEPTED);
            switch (c.outcome()) {
                case SUCCEEDED -> job.state = JobState.SUCCEEDED;
                case DEAD -> job.state = JobState.DEAD;
                case CANCELLED -> job.state = JobState.CANCELLED;
                case RETRY, RELEASED -> {
                    if (c.outcome() == Completion.Outcome.RELEASED) {
                        job.attempts--;
                    }
                    if (job.cancelRequested) {
                        job.state = JobState.CANCELLED;
                    } else if (runAt > now) {
                        job.state = JobState.SCHEDULED;
                        job.runAt = runAt;
                    } else {
                        job.state = JobState.READY;
                        if (c.outcome() == Completion.Outcome.RETRY) {
                            job.readyAt = now;
                        }
                    }
                }
                default -> throw new AssertionError(c.outcome());
            }
        }

        void cancel(Cancel c) {
            ModelJob job = pick(c.pick());
            if (job == null) {
                return;
            }
            CancelResult expected;
            JobState state = job.effectiveState(now());
            if (state == JobState.RUNNING) {
                job.cancelRequested = true;
                expected = CancelResult.CANCEL_REQUESTED;
            } else if (state.isTerminal()) {
                expected = CancelResult.ALREADY_FINISHED;
            } else {
                job.state = JobState.CANCELLED;
                expected = CancelResult.CANCELLED;
            }
            assertThat(store.cancel(job.id)).isEqualTo(expected);
        }

        void reprioritize(Reprioritize r) {
            ModelJob job = pick(r.pick());
            if (job == null) {
                return;
            }
            Priority priority = Priority.ofWeight(r.priority());
            boolean waiting = job.state == JobState.READY || job.state == JobState.SCHEDULED;
            if (waiting) {
                job.priority = priority;
            }
            assertThat(store.reprioritize(job.id, priority)).isEqualTo(waiting);
        }

        void retry(Retry r) {
            ModelJob job = pick(r.pick());
            if (job == null) {
                return;
            }
            boolean retriable = job.state == JobState.DEAD || job.state == JobState.CANCELLED;
            if (retriable) {
                job.state = JobState.READY;
                job.readyAt = now();
                job.attempts = 0;
                job.cancelRequested = false;
            }
            assertThat(store.retry(job.id)).isEqualTo(retriable);
        }

        void recover() {
            long now = now();
            Map<JobId, JobState> expected = new HashMap<>();
            for (ModelJob job : jobs.values()) {
                if (job.state == JobState.RUNNING && job.leaseExpiresAt < now) {
                    if (job.cancelRequested) {
                        job.state = JobState.CANCELLED;
                    } else if (job.attempts >= job.maxAttempts) {
                        job.state = JobState.DEAD;
                    } else {
                        job.state = JobState.READY;
                        job.readyAt = now;
                    }
                    expected.put(job.id, job.state);
                }
            }
            Map<JobId, JobState> recovered = new HashMap<>();
            for (RecoveredJob job : store.recoverExpired(Integer.MAX_VALUE)) {
                recovered.put(job.id(), job.newState());
                assertThat(job.leaseOwner()).isEqualTo("node");
            }
            assertThat(recovered).isEqualTo(expected);
        }

        void checkStates() {
            long now = now();
            StoreStats stats = store.stats();
            Map<String, Map<JobState, Long>> expectedCounts = new HashMap<>();
            for (ModelJob job : jobs.values()) {
                expectedCounts.computeIfAbsent(job.queue, q -> new EnumMap<>(JobState.class))
                        .merge(job.effectiveState(now), 1L, Long::sum);
            }
            for (Map.Entry<String, Map<JobState, Long>> queue : expectedCounts.entrySet()) {
                QueueStats queueStats = stats.queues().get(queue.getKey());
                assertThat(queueStats.counts()).as("counts of " + queue.getKey()).isEqualTo(queue.getValue());
                Instant oldestReady = jobs.values().stream()
                        .filter(j -> j.queue.equals(queue.getKey()) && j.effectiveState(now) == JobState.READY)
                        .map(j -> Instant.ofEpochMilli(j.effectiveReadyAt())).min(Comparator.naturalOrder())
                        .orElse(null);
                assertThat(queueStats.oldestReadyAt()).as("oldest ready of " + queue.getKey()).isEqualTo(oldestReady);
                assertThat(queueStats.paused()).isEqualTo(paused.contains(queue.getKey()));
            }
            for (StoredJob stored : store.findAll(jobs.keySet())) {
                ModelJob job = jobs.get(stored.id());
                assertThat(stored.state()).as("state of " + stored.id()).isEqualTo(job.effectiveState(now));
                assertThat(stored.attempts()).as("attempts of " + stored.id()).isEqualTo(job.attempts);
                assertThat(stored.priority()).isEqualTo(job.priority);
            }
        }

        void checkEveryJobIsInExactlyOneState() {
            List<JobId> listed = new ArrayList<>();
            for (JobState state : JobState.values()) {
                JobQuery query = JobQuery.inState(state, 7);
                List<StoredJob> page;
                while (!(page = store.list(query)).isEmpty()) {
                    page.forEach(job -> assertThat(job.state()).isEqualTo(state));
                    page.forEach(job -> listed.add(job.id()));
                    query = query.after(page.get(page.size() - 1).id());
                }
            }
            assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(jobs.keySet());
        }
    }
}
