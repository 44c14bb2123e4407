package dev.sluice.redis;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.QueueConfig;
import dev.sluice.Sluice;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.JobStore;
import dev.sluice.store.NewJob;
import dev.sluice.store.StoredJob;
import dev.sluice.store.WriteResult;
import dev.sluice.store.contract.StoreContractSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What a Redis Cluster store does beyond the contract kit ({@link RedisClusterContractTest}), on the local cluster
 * of three masters: queues spread over the masters, the graph rule (one slot group), enqueues across groups, wake-ups
 * from every master, scripts reloaded on a node that lost them, and calls by id from a store that never saw the job.
 */
class RedisClusterTest extends StoreContractSupport {

    private final List<RedisJobStore> extraStores = new ArrayList<>();

    @BeforeAll
    static void clusterAvailable() {
        LocalRedisCluster.assumeAvailable();
    }

    @Override
    protected JobStore newStore(Clock clock, Duration agingStep) {
        return LocalRedisCluster.newStore(clock, agingStep);
    }

    @Override
    protected void closeStore(JobStore store) {
        for (RedisJobStore extra : extraStores) {
            LocalRedisCluster.closeStore(extra);
        }
        extraStores.clear();
        LocalRedisCluster.closeStore(store);
    }

    @Test
    void threeQueuesLandOnThreeMastersAndOneClaimMergesThemBySortKey() {
        Map<Integer, String> queueOfMaster = queuePerMaster();
        List<String> queues = new ArrayList<>(queueOfMaster.values());
        JobId low = enqueueOne(job().queue(queues.get(0)).priority(Priority.LOW));
        JobId critical = enqueueOne(job().queue(queues.get(1)).priority(Priority.CRITICAL));
        JobId normal = enqueueOne(job().queue(queues.get(2)));

        // a plain connection per master, no redirections: each job is on the master its queue was placed on
        List<Integer> ports = cluster().ports();
        List<JobId> ids = List.of(low, critical, normal);
        for (int i = 0; i < ports.size(); i++) {
            String queue = queueOfMaster.get(ports.get(i));
            String jobKey = groupKey(queue) + "job:" + ids.get(queues.indexOf(queue));
            long here = cluster().onMaster(ports.get(i), redis -> redis.exists(jobKey));
            assertThat(here).as("%s on the master on port %d", jobKey, ports.get(i)).isEqualTo(1);
        }
        assertThat(store.stats().queues()).containsOnlyKeys(queues);
        assertThat(store.list(new JobQuery(null, null, null, null, 10))).extracting(StoredJob::id)
                .containsExactly(low, critical, normal);

        List<ClaimedJob> claimed = claim(10, queueClaim(queues.get(0), 10), queueClaim(queues.get(1), 10),
                queueClaim(queues.get(2), 10)).jobs();

        assertThat(ids(claimed)).containsExactly(critical, normal, low);
        assertThat(claim(2, queueClaim(queues.get(0), 10), queueClaim(queues.get(1), 10)).jobs()).isEmpty();
    }

    @Test
    void aClaimOverSlotGroupsKeepsEachQueuesBoundAndTheTotal() {
        List<String> queues = new ArrayList<>(queuePerMaster().values());
        for (int i = 0; i < 4; i++) {
            for (String queue : queues) {
                enqueueOne(job().queue(queue));
            }
            clock.advanceMillis(10);
        }

        List<ClaimedJob> claimed = claim(7, queueClaim(queues.get(0), 1), queueClaim(queues.get(1), 10),
                queueClaim(queues.get(2), 10)).jobs();

        assertThat(claimed).hasSize(7);
        assertThat(claimed).filteredOn(j -> j.queue().equals(queues.get(0))).hasSize(1);
        assertThat(claimed).extracting(ClaimedJob::readyAtMillis).isSorted();
    }

    @Test
    void aGraphOverTheQueuesOfOneQueueGroupLivesInOneSlotAndReleasesItsChildOnce() throws Exception {
        RedisJobStore grouped = sameCluster(builder -> builder.queueGroup("pipeline", "extract", "load"));
        String slotKey = "{" + LocalRedisCluster.keyPrefix(grouped) + "|pipeline}";
        ClaimRequest both = new ClaimRequest(NODE, LEASE_MILLIS, 10,
                List.of(queueClaim("extract", 10), queueClaim("load", 10)));
        for (int round = 0; round < 20; round++) {
            JobSpec left = job().queue("extract");
            JobSpec right = job().queue("extract");
            JobSpec child = job().queue("load").after(left.id(), right.id());
            grouped.enqueue(List.of(left.build(), right.build(), child.build()));
            List<ClaimedJob> parents = grouped.claim(both).jobs();
            assertThat(ids(parents)).containsExactlyInAnyOrder(left.id(), right.id());

            // the two parents complete at the same moment from two threads: the child is released once
            List<List<WriteResult>> results = concurrently(2, t -> grouped.completeAll(List.of(
                    Completion.succeeded(parents.get(t).id(), parents.get(t).fencingToken(), new byte[0]))));

            assertThat(results).allSatisfy(r -> assertThat(r).containsExactly(WriteResult.ACCEPTED));
            assertThat(ids(grouped.claim(both))).containsExactly(child.id());
            assertThat(cluster().masterOf(slotKey + "job:" + child.id()))
                    .isEqualTo(cluster().masterOf(slotKey + "job:" + left.id()));
        }
        assertThat(grouped.stats().queues().get("load").count(JobState.RUNNING)).isEqualTo(20);
        assertThat(grouped.stats().queues().get("load").count(JobState.READY)).isZero();
    }

    @Test
    void aGraphAcrossSlotGroupsIsRefusedNamingBothQueuesAndNothingIsStored() {
        JobSpec parent = job().queue("extract");
        JobSpec child = job().queue("load").after(parent.id());

        assertThatThrownBy(() -> store.enqueue(List.of(parent.build(), child.build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queue 'load'").hasMessageContaining("queue 'extract'")
                .hasMessageContaining("one slot group").hasMessageContaining("nothing of this enqueue was stored");
        assertThat(store.find(parent.id())).isEmpty();
        assertThat(store.stats().queues()).isEmpty();

        JobId stored = enqueueOne(job().queue("extract"));
        assertThatThrownBy(() -> store.enqueue(List.of(job().queue("load").after(stored).build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queue 'load'").hasMessageContaining("queue 'extract'");
        assertThat(store.stats().queues()).containsOnlyKeys("extract");
    }

    @Test
    void anEnqueueAcrossSlotGroupsIsAtomicPerGroupAndSaysWhatWasStoredWhenAPartFails() {
        NewJob east = job().queue("east").build();
        NewJob west = job().queue("west").build();
        assertThat(store.enqueue(List.of(east, west))).allSatisfy(r -> assertThat(r.duplicate()).isFalse());

        NewJob laterEast = job().queue("east").build();
        NewJob westAgain = job().queue("west").id(west.id()).build();

        assertThatThrownBy(() -> store.enqueue(List.of(laterEast, westAgain)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(west.id().toString()).hasMessageContaining("queues [east] were stored");
        assertThat(store.find(laterEast.id())).isPresent();
    }

    @Test
    void wakeUpsReachASubscriberFromEveryMaster() throws Exception {
        RedisJobStore listener = sameCluster(builder -> builder.keyPrefix(LocalRedisCluster.keyPrefix(
                (RedisJobStore) store)).pollInterval(Duration.ofHours(1)));
        AtomicInteger calls = new AtomicInteger();
        try (AutoCloseable subscription = listener.subscribe(calls::incrementAndGet)) {
            for (String queue : queuePerMaster().values()) {
                int before = calls.get();
                enqueueOne(job().queue(queue));
                await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() > before);
            }
        }
    }

    @Test
    void aMasterThatLostItsScriptsGetsThemAgain() {
        Map<Integer, String> queueOfMaster = queuePerMaster();
        cluster().onEachMaster(redis -> redis.scriptFlush());

        for (String queue : queueOfMaster.values()) {
            JobId id = enqueueOne(job().queue(queue));
            assertThat(ids(claim(1, queueClaim(queue, 1)))).containsExactly(id);
        }
    }

    @Test
    void callsByIdFromAStoreThatNeverSawTheJobFindItsSlotGroup() {
        List<String> queues = new ArrayList<>(queuePerMaster().values());
        for (String queue : queues) {
            enqueueOne(job().queue(queue));
        }
        List<ClaimedJob> claimed = claim(3, queueClaim(queues.get(0), 1), queueClaim(queues.get(1), 1),
                queueClaim(queues.get(2), 1)).jobs();
        RedisJobStore other = sameCluster(builder -> builder.keyPrefix(LocalRedisCluster.keyPrefix(
                (RedisJobStore) store)));
        List<Completion> done = new ArrayList<>();
        for (ClaimedJob job : claimed) {
            done.add(Completion.succeeded(job.id(), job.fencingToken(), null));
        }
        done.add(Completion.succeeded(JobId.next(), 1, null));

        assertThat(other.completeAll(done)).containsExactly(WriteResult.ACCEPTED, WriteResult.ACCEPTED,
                WriteResult.ACCEPTED, WriteResult.STALE);
        assertThat(other.findAll(ids(claimed))).extracting(StoredJob::state).containsOnly(JobState.SUCCEEDED);
        assertThat(other.stats().total(JobState.SUCCEEDED)).isEqualTo(3);
    }

    @Test
    void twoEnginesRunTheJobsOfQueuesOnThreeMastersEachOnce() {
        List<String> queues = new ArrayList<>(queuePerMaster().values());
        Map<JobId, AtomicInteger> runs = new ConcurrentHashMap<>();
        List<Sluice> engines = new ArrayList<>();
        try {
            for (int node = 0; node < 2; node++) {
                // Redis's clock (no test clock): the engines' leases and waits run in real time
                RedisJobStore nodeStore = sameCluster(builder -> builder.keyPrefix(LocalRedisCluster.keyPrefix(
                        (RedisJobStore) store)).clock(null));
                Sluice.Builder engine = Sluice.builder().store(nodeStore).nodeId("node-" + node)
                        .handler("noop", String.class, (payload, context) -> {
                            runs.computeIfAbsent(context.jobId(), id -> new AtomicInteger()).incrementAndGet();
                            return null;
                        });
                queues.forEach(queue -> engine.queue(QueueConfig.of(queue, 4)));
                engines.add(engine.build().start());
            }
            List<JobId> submitted = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                List<JobRequest> batch = new ArrayList<>();
                for (String queue : queues) {
                    for (int i = 0; i < 30; i++) {
                        batch.add(JobRequest.builder("noop").payload("x").queue(queue).build());
                    }
                }
                submitted.addAll(engines.get(round % 2).submitAll(batch));
            }

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> store.stats().total(JobState.SUCCEEDED) == submitted.size());
            assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(submitted);
            assertThat(runs.values()).as("no job ran twice").allSatisfy(n -> assertThat(n).hasValue(1));
            assertThat(store.stats().queues()).containsOnlyKeys(queues);
        } finally {
            engines.forEach(Sluice::close);
        }
    }

    @Test
    void theBuilderRefusesQueueGroupsWithoutAClusterAndAQueueInTwoGroups() {
        assertThatThrownBy(() -> RedisJobStore.builder().uri("redis://127.0.0.1:1").queueGroup("g", "a").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Redis Cluster store only");
        assertThatThrownBy(() -> RedisJobStore.builder().queueGroup("g", "a").queueGroup("h", "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queue 'a'")
                .hasMessageContaining("'g'").hasMessageContaining("'h'");
        assertThatThrownBy(() -> RedisJobStore.builder().queueGroup("Bad Name", "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Bad Name'");
        assertThatThrownBy(() -> RedisJobStore.builder().uri("redis://127.0.0.1:1")
                .clusterUri("redis://127.0.0.1:2").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set one");
    }

    /** One queue name per master (master port to queue), found by the slots of their keys' hash tags. */
    private Map<Integer, String> queuePerMaster() {
        Map<Integer, String> queueOfMaster = new LinkedHashMap<>();
        for (int port : cluster().ports()) {
            queueOfMaster.put(port, null);
        }
        for (int i = 0; queueOfMaster.containsValue(null); i++) {
            String queue = "q" + i;
            queueOfMaster.replace(cluster().masterOf(groupKey(queue)), null, queue);
        }
        return queueOfMaster;
    }

    /** The key base of a queue's slot group in the test's store (default layout: the group is the queue). */
    private String groupKey(String queue) {
        return "{" + LocalRedisCluster.keyPrefix((RedisJobStore) store) + "|" + queue + "}";
    }

    /** Another store on the cluster, with a fresh prefix unless the settings give one; closed after the test. */
    private RedisJobStore sameCluster(Consumer<RedisJobStore.Builder> settings) {
        RedisJobStore extra = LocalRedisCluster.newStore(TestRedis.freshPrefix(), clock, AGING_STEP, settings);
        extraStores.add(extra);
        return extra;
    }

    private static LocalRedisCluster cluster() {
        return LocalRedisCluster.shared();
    }
}
