package dev.sluice.store.contract;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.store.ClaimBatch;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.QueueClaim;
import dev.sluice.store.WriteResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** How much a claim takes and from where: bounds, tenants, paused queues, and never a job twice. */
abstract class ClaimContract extends ContractTheme {

    @Test
    void claimTakesAtMostMaxTotal() {
        enqueueMany(10);

        assertThat(claim(4).jobs()).hasSize(4);
        assertThat(claim(100).jobs()).hasSize(6);
        assertThat(claim(100).jobs()).isEmpty();
    }

    @Test
    void claimWithMaxTotalZeroTakesNothing() {
        enqueueMany(3);

        assertThat(claim(0, queueClaim(QUEUE, 10)).jobs()).isEmpty();
        assertThat(store.stats().total(JobState.READY)).isEqualTo(3);
    }

    @Test
    void eachQueueGivesAtMostItsMaxAndAllQueuesAtMostMaxTotal() {
        for (int i = 0; i < 5; i++) {
            enqueue(job().queue("a"), job().queue("b"));
        }

        ClaimBatch batch = claim(6, queueClaim("a", 2), queueClaim("b", 10));

        assertThat(batch.jobs()).hasSize(6);
        assertThat(batch.jobs()).filteredOn(j -> j.queue().equals("a")).hasSize(2);
        assertThat(batch.jobs()).filteredOn(j -> j.queue().equals("b")).hasSize(4);
    }

    @Test
    void claimMergesTheAskedQueuesBySortKeyAndSkipsOthers() {
        JobId normalA = enqueueOne(job().queue("a"));
        JobId highB = enqueueOne(job().queue("b").priority(Priority.HIGH));
        enqueueOne(job().queue("c").priority(Priority.CRITICAL));
        clock.advanceMillis(1_000);
        JobId laterNormalB = enqueueOne(job().queue("b"));

        ClaimBatch batch = claim(10, queueClaim("a", 10), queueClaim("b", 10));

        assertThat(ids(batch)).containsExactly(highB, normalA, laterNormalB);
    }

    @Test
    void claimFromAnUnknownQueueFindsNothing() {
        enqueueMany(2);

        assertThat(claim(10, queueClaim("never-used", 10)).jobs()).isEmpty();
    }

    @Test
    void maxPerTenantCountsTheJobsTheNodeAlreadyHolds() {
        List<JobId> acme = new ArrayList<>();
        List<JobId> globex = new ArrayList<>();
        List<JobId> noTenant = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            acme.add(enqueueOne(job().tenant("acme")));
            globex.add(enqueueOne(job().tenant("globex")));
            noTenant.add(enqueueOne(job()));
            clock.advanceMillis(10);
        }

        ClaimBatch batch = claim(100, new QueueClaim(QUEUE, 100, 2, Map.of("acme", 1)));

        assertThat(batch.jobs()).filteredOn(j -> "acme".equals(j.tenant())).extracting(ClaimedJob::id)
                .containsExactly(acme.get(0));
        assertThat(batch.jobs()).filteredOn(j -> "globex".equals(j.tenant())).extracting(ClaimedJob::id)
                .containsExactly(globex.get(0), globex.get(1));
        assertThat(batch.jobs()).filteredOn(j -> j.tenant() == null).extracting(ClaimedJob::id)
                .as("jobs without a tenant are not limited").containsExactlyElementsOf(noTenant);
        assertThat(batch.jobs()).as("still best sort key first").extracting(ClaimedJob::readyAtMillis).isSorted();
    }

    @Test
    void tenantAtItsLimitDoesNotHoldBackOtherTenants() {
        for (int i = 0; i < 5; i++) {
            enqueueOne(job().tenant("busy"));
        }
        clock.advanceMillis(1_000);
        JobId quiet = enqueueOne(job().tenant("quiet"));

        ClaimBatch batch = claim(2, new QueueClaim(QUEUE, 2, 1, Map.of()));

        assertThat(batch.jobs()).extracting(ClaimedJob::tenant).containsExactly("busy", "quiet");
        assertThat(ids(batch)).contains(quiet);
        assertThat(claim(10, new QueueClaim(QUEUE, 10, 3, Map.of("busy", 1))).jobs()).hasSize(2);
    }

    @Test
    void pausedQueueIsNotClaimedUntilResumed() {
        JobId inA = enqueueOne(job().queue("a"));
        JobId inB = enqueueOne(job().queue("b"));

        store.pauseQueue("a");
        store.pauseQueue("a");
        assertThat(store.pausedQueues()).containsExactly("a");
        assertThat(ids(claim(10, queueClaim("a", 10), queueClaim("b", 10)))).containsExactly(inB);

        store.resumeQueue("a");
        store.resumeQueue("a");
        assertThat(store.pausedQueues()).isEmpty();
        assertThat(ids(claim(10, queueClaim("a", 10), queueClaim("b", 10)))).containsExactly(inA);
    }

    @Test
    void pausingAQueueBeforeItHasJobsHoldsLaterJobs() {
        store.pauseQueue("later");
        JobId job = enqueueOne(job().queue("later"));

        assertThat(claim(10, queueClaim("later", 10)).jobs()).isEmpty();
        store.resumeQueue("later");
        assertThat(ids(claim(10, queueClaim("later", 10)))).containsExactly(job);
    }

    @Test
    void everyJobIsHandedOutExactlyOnceToEightClaimingThreads() throws Exception {
        List<JobId> all = new ArrayList<>();
        for (int chunk = 0; chunk < 10; chunk++) {
            all.addAll(enqueueMany(500));
        }
        Map<JobId, String> claimedBy = new ConcurrentHashMap<>();
        AtomicInteger handedOutTwice = new AtomicInteger();

        List<Integer> perThread = concurrently(8, thread -> {
            String node = "node-" + thread;
            int count = 0;
            while (true) {
                ClaimBatch batch = store.claim(new ClaimRequest(node, LEASE_MILLIS, 25,
                        List.of(queueClaim(QUEUE, 25))));
                if (batch.jobs().isEmpty()) {
                    return count;
                }
                List<Completion> done = new ArrayList<>();
                for (ClaimedJob job : batch.jobs()) {
                    if (claimedBy.putIfAbsent(job.id(), node) != null) {
                        handedOutTwice.incrementAndGet();
                    }
                    done.add(Completion.succeeded(job.id(), job.fencingToken(), null));
                }
                assertThat(store.completeAll(done)).containsOnly(WriteResult.ACCEPTED);
                count += batch.jobs().size();
            }
        });

        assertThat(handedOutTwice).hasValue(0);
        assertThat(perThread.stream().mapToInt(Integer::intValue).sum()).isEqualTo(5_000);
        assertThat(claimedBy.keySet()).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void concurrentClaimsIssueDistinctIncreasingTokens() throws Exception {
        enqueueMany(400);
        AtomicInteger claimedInAll = new AtomicInteger();

        // A claim may return fewer jobs than it could while others claim (SKIP LOCKED): claim until all are out.
        List<List<ClaimedJob>> perThread = concurrently(4, thread -> {
            List<ClaimedJob> mine = new ArrayList<>();
            while (claimedInAll.get() < 400 && !Thread.currentThread().isInterrupted()) {
                List<ClaimedJob> batch = store.claim(new ClaimRequest("node-" + thread, LEASE_MILLIS, 10,
                        List.of(queueClaim(QUEUE, 10)))).jobs();
                mine.addAll(batch);
                claimedInAll.addAndGet(batch.size());
            }
            return mine;
        });

        Set<Long> tokens = new HashSet<>();
        for (List<ClaimedJob> mine : perThread) {
            assertThat(mine).extracting(ClaimedJob::fencingToken).as("tokens seen by one claimer increase")
                    .isSorted().doesNotHaveDuplicates();
            mine.forEach(j -> tokens.add(j.fencingToken()));
        }
        assertThat(tokens).hasSize(400);
    }
}
