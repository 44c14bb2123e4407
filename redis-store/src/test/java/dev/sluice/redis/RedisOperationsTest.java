package dev.sluice.redis;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.graph.FailurePolicy;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.EnqueueResult;
import dev.sluice.store.HistoryEntry;
import dev.sluice.store.NodeInfo;
import dev.sluice.store.PurgeRequest;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Purge, recurring fires, leader leases, the node registry and the audit trail in the Redis store. */
class RedisOperationsTest extends RedisStoreSupport {

    /** Enqueues, claims and ends {@code count} jobs of a type, one millisecond apart; returns them in order. */
    private List<JobId> finish(String type, int count, Completion.Outcome outcome) {
        List<JobId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JobId id = enqueueOne(job().type(type));
            ClaimedJob claimed = claimOne();
            complete(outcome == Completion.Outcome.SUCCEEDED ? Completion.succeeded(id, claimed.fencingToken(), null)
                    : Completion.dead(id, claimed.fencingToken(), "boom"));
            ids.add(id);
            clock.advanceMillis(1);
        }
        return ids;
    }

    private List<String> keysOfStore() {
        String base = ((RedisJobStore) store).keyBase();
        try (StatefulRedisConnection<String, String> admin = TestRedis.client().connect()) {
            return admin.sync().keys(base.replace("{", "\\{").replace("}", "\\}") + "*");
        }
    }

    // ---------------------------------------------------------------- purge

    @Test
    void purgeKeepsTheNewestOfEachTypeOverTheAskedStatesNewestIdWinningTies() {
        List<JobId> reports = finish("report", 4, Completion.Outcome.SUCCEEDED);
        List<JobId> failed = finish("report", 1, Completion.Outcome.DEAD);
        List<JobId> mails = finish("mail", 2, Completion.Outcome.SUCCEEDED);
        // two jobs finished in the same millisecond: the larger id counts as the newer
        JobId tieA = enqueueOne(job().type("mail"));
        JobId tieB = enqueueOne(job().type("mail"));
        for (ClaimedJob claimed : claim(2).jobs()) {
            succeed(claimed);
        }
        PurgeRequest keepOne = new PurgeRequest(Set.of(JobState.SUCCEEDED, JobState.DEAD), null, 1, 100);

        assertThat(store.purge(keepOne)).isEqualTo(4 + 3);

        assertThat(store.findAll(reports)).isEmpty();
        assertThat(store.findAll(mails)).isEmpty();
        assertThat(store.find(tieA)).isEmpty();
        assertThat(store.find(tieB)).isPresent();
        assertThat(store.find(failed.get(0))).isPresent();
        assertThat(store.purge(keepOne)).isZero();
    }

    @Test
    void purgeDeletesEdgesAndHistoryWithTheJob() {
        JobId parent = enqueueOne(job());
        JobSpec child = job().after(FailurePolicy.RUN_DEPENDENTS, parent);
        enqueue(child);
        store.appendHistory(List.of(new HistoryEntry(parent, clock.instant(), null, JobState.READY, 0, null, null)));
        succeed(claimOne());
        clock.advanceMillis(10);

        assertThat(store.purge(new PurgeRequest(Set.of(JobState.SUCCEEDED), clock.instant(), -1, 10))).isEqualTo(1);

        assertThat(store.find(parent)).isEmpty();
        assertThat(store.history(parent)).isEmpty();
        assertThat(store.childrenOf(parent)).isEmpty();
        assertThat(store.parentsOf(child.id())).isEmpty();
        succeed(claimOne());
        clock.advanceMillis(10);
        store.purge(new PurgeRequest(Set.of(JobState.SUCCEEDED), clock.instant(), -1, 10));
        // what is left is store-wide bookkeeping, no key of a job
        assertThat(keysOfStore()).noneMatch(key -> key.contains(parent.toString()) || key.contains(
                child.id().toString()));
    }

    @Test
    void retentionDropsFinishedJobsFromThePurgeIndexToo() {
        String prefix = TestRedis.freshPrefix();
        try (RedisJobStore retaining = RedisJobStore.builder().client(TestRedis.client()).keyPrefix(prefix)
                .clock(clock).retainFinished(3).build()) {
            store = retaining;
            List<JobId> done = finish("report", 6, Completion.Outcome.SUCCEEDED);

            assertThat(store.findAll(done)).extracting(j -> j.id())
                    .containsExactlyInAnyOrderElementsOf(done.subList(3, 6));
            assertThat(store.purge(new PurgeRequest(Set.of(JobState.SUCCEEDED), null, 0, 100))).isEqualTo(3);
            assertThat(store.stats().queues().get(QUEUE).counts()).isEmpty();
        } finally {
            TestRedis.deleteKeys(prefix);
        }
    }

    @Test
    void keysHeldOnAfterSuccessAreFreedWhenTheirHoldRunsOutSoThatNonePileUp() {
        for (int i = 0; i < 20; i++) {
            enqueueOne(job().uniqueKey("report-" + i).uniqueHoldMillis(1_000));
            succeed(claimOne());
        }
        try (StatefulRedisConnection<String, String> admin = TestRedis.client().connect()) {
            String base = ((RedisJobStore) store).keyBase();
            assertThat(admin.sync().hlen(base + "unique")).isEqualTo(20);
            clock.advanceMillis(1_001);

            succeed(claimJob(enqueueOne(job())));

            assertThat(admin.sync().hlen(base + "unique")).isZero();
            assertThat(admin.sync().zcard(base + "unique-holds")).isZero();
        }
    }

    private ClaimedJob claimJob(JobId id) {
        ClaimedJob claimed = claimOne();
        assertThat(claimed.id()).isEqualTo(id);
        return claimed;
    }

    // ---------------------------------------------------------------- recurring fires

    @Test
    void aFireWhoseJobIsRefusedIsNotUsedUp() {
        store.enqueueFire("daily", 5, job().build());
        JobSpec orphan = job().after(JobId.next());

        assertThatThrownBy(() -> store.enqueueFire("daily", 6, orphan.build()))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(store.lastFire("daily")).hasValue(5);
        assertThat(store.enqueueFire("daily", 6, job().build())).isPresent();
    }

    @Test
    void twoNodesFiringTheSameTimeStoreItOnce() throws Exception {
        String base = ((RedisJobStore) store).keyBase();
        try (RedisJobStore other = RedisJobStore.builder().client(TestRedis.client())
                .keyPrefix(base.substring(1, base.length() - 1)).clock(clock).build()) {
            List<Optional<EnqueueResult>> results = concurrently(8, i ->
                    (i % 2 == 0 ? store : other).enqueueFire("every-minute", 60_000, job().build()));

            assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
            assertThat(store.stats().queues().get(QUEUE).counts().get(JobState.READY)).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- node registry

    @Test
    void nodeDescriptionsSurviveAnyTextAndTheStoreSetsLastSeen() {
        Instant started = clock.instant().minusSeconds(60);
        store.heartbeat(new NodeInfo("node-b", "host two", started, null, 8, 3), 10_000);
        clock.advanceMillis(5_000);
        store.heartbeat(new NodeInfo("node-a", "host:1|x", started, Instant.EPOCH, 4, 0), 10_000);

        assertThat(store.nodes()).containsExactly(
                new NodeInfo("node-a", "host:1|x", started, clock.instant(), 4, 0),
                new NodeInfo("node-b", "host two", started, clock.instant().minusMillis(5_000), 8, 3));

        clock.advanceMillis(5_001);
        assertThat(store.nodes()).extracting(NodeInfo::nodeId).containsExactly("node-a");
        store.removeNode("node-a");
        assertThat(store.nodes()).isEmpty();
    }

    // ---------------------------------------------------------------- history

    @Test
    void historyEntriesSurviveAnyTextAndNulls() {
        JobId id = enqueueOne(job());
        HistoryEntry created = new HistoryEntry(id, clock.instant(), null, JobState.READY, 0, null, null);
        HistoryEntry failed = new HistoryEntry(id, clock.instant().plusMillis(9), JobState.RUNNING, JobState.DEAD,
                1, "node:1 ü", "java.io.IOException: disk full \u20ac\uD83D\uDE00\n\tat line 3: 12:x,-1:");

        store.appendHistory(List.of(created, failed));

        assertThat(store.history(id)).containsExactly(created, failed);
    }
}
