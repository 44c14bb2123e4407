package dev.sluice.redis;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.UniqueScope;
import dev.sluice.graph.FailurePolicy;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.Dependency;
import dev.sluice.store.NewJob;
import dev.sluice.store.PurgeRequest;
import dev.sluice.store.QueueClaim;
import dev.sluice.store.StoredJob;
import dev.sluice.store.contract.MutableClock;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scripts keep counts, sets and indexes beside the job hashes, several of them written in one batch at the
 * end of a script. After a random mix of every call (graphs, claims, each outcome, recovery, cancels, retries,
 * drains, purges, retention), each of them must agree with the jobs themselves.
 */
class BookkeepingTest {

    private static final List<String> QUEUES = List.of("a", "b");
    private static final List<String> TYPES = List.of("report", "mail");

    private final String prefix = TestRedis.freshPrefix();
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final RedisJobStore store = RedisJobStore.builder().client(TestRedis.client()).keyPrefix(prefix)
            .clock(clock).retainFinished(40).build();
    private final Random random = new Random(20_261_123);
    private final List<JobId> known = new ArrayList<>();
    private final List<ClaimedJob> held = new ArrayList<>();

    @AfterEach
    void closeAndDeleteKeys() {
        store.close();
        TestRedis.deleteKeys(prefix);
    }

    @Test
    void countsSetsAndIndexesAgreeWithTheJobsAfterARandomMixOfCalls() {
        for (int step = 0; step < 600; step++) {
            clock.advanceMillis(random.nextInt(50));
            switch (random.nextInt(9)) {
                case 0, 1 -> enqueueSome();
                case 2, 3 -> held.addAll(store.claim(new ClaimRequest("node", 1_000, 8, List.of(
                        new QueueClaim(pick(QUEUES), 8, Integer.MAX_VALUE, Map.of())))).jobs());
                case 4, 5 -> completeSome();
                case 6 -> known.stream().skip(random.nextInt(known.size() + 1)).findFirst().ifPresent(store::cancel);
                case 7 -> known.stream().skip(random.nextInt(known.size() + 1)).findFirst().ifPresent(store::retry);
                default -> operate();
            }
        }
        assertBookkeepingAgrees();
    }

    private void enqueueSome() {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = random.nextInt(5); i >= 0; i--) {
            List<Dependency> parents = new ArrayList<>();
            Set<JobId> named = new HashSet<>();
            for (int p = random.nextInt(3); p > 0 && !known.isEmpty(); p--) {
                JobId parent = pick(known);
                if (named.add(parent) && store.find(parent).isPresent()) {
                    parents.add(new Dependency(parent, FailurePolicy.values()[random.nextInt(3)]));
                }
            }
            long runAt = random.nextInt(4) == 0 ? clock.millis() + random.nextInt(500) : 0;
            String unique = random.nextInt(5) == 0 ? "key-" + random.nextInt(5) : null;
            UniqueScope scope = random.nextBoolean() ? UniqueScope.WHILE_WAITING : UniqueScope.UNTIL_FINISHED;
            long hold = random.nextInt(3) == 0 ? random.nextInt(300) : 0;
            jobs.add(new NewJob(JobId.next(), pick(TYPES), pick(QUEUES), Priority.ofWeight(random.nextInt(4)),
                    new byte[0], runAt, 1 + random.nextInt(2), 0, unique, null, clock.millis(), parents, scope,
                    hold));
        }
        store.enqueue(jobs).forEach(result -> {
            if (!result.duplicate()) {
                known.add(result.id());
            }
        });
    }

    private void completeSome() {
        List<Completion> completions = new ArrayList<>();
        for (int i = Math.min(held.size(), 1 + random.nextInt(6)); i > 0; i--) {
            ClaimedJob job = held.remove(random.nextInt(held.size()));
            long token = job.fencingToken();
            completions.add(switch (random.nextInt(5)) {
                case 0 -> Completion.retry(job.id(), token, "again", clock.millis() + random.nextInt(200));
                case 1 -> Completion.dead(job.id(), token, "boom");
                case 2 -> Completion.cancelled(job.id(), token, "stop");
                case 3 -> Completion.released(job.id(), token, clock.millis());
                default -> Completion.succeeded(job.id(), token, null);
            });
        }
        store.completeAll(completions);
    }

    private void operate() {
        switch (random.nextInt(3)) {
            case 0 -> {
                clock.advanceMillis(1_001);
                store.recoverExpired(20);
                held.clear();
            }
            case 1 -> store.cancelWaiting(pick(QUEUES), 1 + random.nextInt(3));
            default -> store.purge(new PurgeRequest(EnumSet.of(JobState.SUCCEEDED, JobState.DEAD,
                    JobState.CANCELLED), null, random.nextInt(10), 1 + random.nextInt(5)));
        }
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private void assertBookkeepingAgrees() {
        List<StoredJob> jobs = store.list(new JobQuery(null, null, null, null, 10_000));
        assertThat(jobs).hasSizeGreaterThan(50);

        Map<String, Map<JobState, Long>> counted = new HashMap<>();
        for (StoredJob job : jobs) {
            counted.computeIfAbsent(job.queue(), q -> new HashMap<>()).merge(job.state(), 1L, Long::sum);
        }
        for (String queue : QUEUES) {
            assertThat(store.stats().queues().get(queue).counts()).as("counts of queue %s", queue)
                    .isEqualTo(counted.getOrDefault(queue, Map.of()));
        }
        try (StatefulRedisConnection<String, String> connection = TestRedis.client().connect()) {
            RedisCommands<String, String> redis = connection.sync();
            String base = store.keyBase();
            assertThat(redis.zrange(base + "ids", 0, -1)).containsExactlyInAnyOrderElementsOf(idsOf(jobs, null, null));
            assertThat(redis.zrange(base + "running", 0, -1))
                    .containsExactlyInAnyOrderElementsOf(idsOf(jobs, EnumSet.of(JobState.RUNNING), null));
            assertThat(redis.zrange(base + "finished", 0, -1)).containsExactlyInAnyOrderElementsOf(
                    idsOf(jobs, EnumSet.of(JobState.SUCCEEDED, JobState.CANCELLED), null));
            for (String queue : QUEUES) {
                List<String> ready = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    ready.addAll(redis.zrange(base + "ready:" + queue + ":" + w, 0, -1));
                }
                assertThat(ready).containsExactlyInAnyOrderElementsOf(
                        idsOf(jobs, EnumSet.of(JobState.READY), queue));
                assertThat(redis.zrange(base + "sched:" + queue, 0, -1)).containsExactlyInAnyOrderElementsOf(
                        idsOf(jobs, EnumSet.of(JobState.SCHEDULED), queue));
                assertThat(redis.zrange(base + "waiting:" + queue, 0, -1)).containsExactlyInAnyOrderElementsOf(
                        idsOf(jobs, EnumSet.of(JobState.WAITING), queue));
            }
            // a unique key is held by a job that has not finished, or by one that SUCCEEDED and holds it on
            Set<String> holds = new HashSet<>(redis.zrange(base + "unique-holds", 0, -1));
            Map<String, StoredJob> byId = new HashMap<>();
            jobs.forEach(job -> byId.put(job.id().toString(), job));
            redis.hgetall(base + "unique").forEach((key, holder) -> {
                StoredJob job = byId.get(holder);
                assertThat(holds.contains(key) || job != null && !job.state().isTerminal()
                        && key.equals(job.uniqueKey())).as("holder %s of key %s", holder, key).isTrue();
            });
            assertThat(redis.hkeys(base + "unique")).containsAll(holds);
            for (JobState state : EnumSet.of(JobState.SUCCEEDED, JobState.DEAD, JobState.CANCELLED)) {
                for (String type : TYPES) {
                    List<String> expected = new ArrayList<>();
                    for (StoredJob job : jobs) {
                        if (job.state() == state && job.type().equals(type)) {
                            expected.add(job.id().toString());
                        }
                    }
                    assertThat(redis.zrange(base + "done:" + state + ":" + type, 0, -1))
                            .as("finished-job index of %s %s", state, type)
                            .containsExactlyInAnyOrderElementsOf(expected);
                }
            }
        }
    }

    private static List<String> idsOf(List<StoredJob> jobs, Set<JobState> states, String queue) {
        List<String> ids = new ArrayList<>();
        for (StoredJob job : jobs) {
            if ((states == null || states.contains(job.state())) && (queue == null || job.queue().equals(queue))) {
                ids.add(job.id().toString());
            }
        }
        return ids;
    }
}
