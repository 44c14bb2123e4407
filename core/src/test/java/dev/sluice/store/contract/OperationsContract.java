package dev.sluice.store.contract;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.EnqueueResult;
import dev.sluice.store.HistoryEntry;
import dev.sluice.store.LeaderLease;
import dev.sluice.store.NodeInfo;
import dev.sluice.store.PurgeRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The calls behind operations: draining, purging, recurring fires, leader leases, node registry, audit trail. */
abstract class OperationsContract extends ContractTheme {

    private static final Set<JobState> FINISHED_OK = EnumSet.of(JobState.SUCCEEDED, JobState.CANCELLED);

    // ---------------------------------------------------------------- drain

    @Test
    void cancelWaitingCancelsTheQueuesWaitingJobsInBoundedSteps() {
        JobId ready = enqueueOne(job());
        JobId scheduled = enqueueOne(job().delay(Duration.ofMinutes(1)));
        JobId waiting = enqueueOne(job().after(ready));
        JobId running = enqueueOne(job());
        JobId elsewhere = enqueueOne(job().queue("other"));
        ClaimedJob claimed = claimOne();
        assertThat(claimed.id()).isEqualTo(ready);

        assertThat(store.cancelWaiting(QUEUE, 1)).isEqualTo(1);
        assertThat(store.cancelWaiting(QUEUE, 10)).isEqualTo(2);
        assertThat(store.cancelWaiting(QUEUE, 10)).isZero();

        assertThat(stateOf(scheduled)).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(waiting)).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(running)).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(ready)).isEqualTo(JobState.RUNNING);
        assertThat(stateOf(elsewhere)).isEqualTo(JobState.READY);
    }

    // ---------------------------------------------------------------- purge

    @Test
    void purgeByAgeDeletesOnlyJobsFinishedBeforeTheCutOff() {
        JobId old = finishOne("report");
        clock.advanceMillis(Duration.ofDays(31).toMillis());
        JobId recent = finishOne("report");
        JobId dead = enqueueOne(job());
        complete(Completion.dead(dead, claimOne().fencingToken(), "boom"));
        JobId live = enqueueOne(job().delay(Duration.ofDays(1)));
        Instant cutOff = clock.instant().minus(Duration.ofDays(30));

        int deleted = store.purge(new PurgeRequest(FINISHED_OK, cutOff, -1, 100));

        assertThat(deleted).isEqualTo(1);
        assertThat(store.find(old)).isEmpty();
        assertThat(store.find(recent)).isPresent();
        assertThat(store.find(dead)).isPresent();
        assertThat(store.find(live)).isPresent();
    }

    @Test
    void purgeByCountKeepsTheNewestPerType() {
        List<JobId> reports = new ArrayList<>();
        List<JobId> mails = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            reports.add(finishOne("report"));
            clock.advanceMillis(10);
            mails.add(finishOne("mail"));
            clock.advanceMillis(10);
        }

        assertThat(store.purge(new PurgeRequest(FINISHED_OK, null, 2, 100))).isEqualTo(6);

        assertThat(store.findAll(reports)).extracting(job -> job.id()).containsExactlyInAnyOrderElementsOf(
                reports.subList(3, 5));
        assertThat(store.findAll(mails)).extracting(job -> job.id()).containsExactlyInAnyOrderElementsOf(
                mails.subList(3, 5));
    }

    @Test
    void purgeDeletesAtMostItsLimitOldestFirst() {
        List<JobId> finished = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            finished.add(finishOne("report"));
            clock.advanceMillis(10);
        }
        Instant cutOff = clock.instant();

        assertThat(store.purge(new PurgeRequest(FINISHED_OK, cutOff, -1, 2))).isEqualTo(2);
        assertThat(store.findAll(finished)).extracting(job -> job.id())
                .containsExactlyInAnyOrderElementsOf(finished.subList(2, 5));
        assertThat(store.purge(new PurgeRequest(FINISHED_OK, cutOff, -1, 2))).isEqualTo(2);
        assertThat(store.purge(new PurgeRequest(FINISHED_OK, cutOff, -1, 2))).isEqualTo(1);
        assertThat(store.purge(new PurgeRequest(FINISHED_OK, cutOff, -1, 2))).isZero();
    }

    @Test
    void purgeOfDeadJobsIsAskedForExplicitly() {
        JobId dead = enqueueOne(job());
        complete(Completion.dead(dead, claimOne().fencingToken(), "boom"));
        clock.advanceMillis(1000);

        assertThat(store.purge(new PurgeRequest(FINISHED_OK, clock.instant(), -1, 10))).isZero();
        assertThat(store.purge(new PurgeRequest(EnumSet.of(JobState.DEAD), clock.instant(), -1, 10))).isEqualTo(1);
        assertThat(store.find(dead)).isEmpty();
    }

    @Test
    void purgeDeletesTheHistoryOfPurgedJobs() {
        JobId id = finishOne("report");
        store.appendHistory(List.of(new HistoryEntry(id, clock.instant(), null, JobState.READY, 0, NODE, null)));
        clock.advanceMillis(1000);

        store.purge(new PurgeRequest(FINISHED_OK, clock.instant(), -1, 10));

        assertThat(store.history(id)).isEmpty();
    }

    private JobId finishOne(String type) {
        JobId id = enqueueOne(job().type(type));
        succeed(claimOne());
        return id;
    }

    // ---------------------------------------------------------------- recurring fires

    @Test
    void aFireIsStoredOnceAndOnlyWhenLaterThanTheLatest() {
        long fire = now();
        Optional<EnqueueResult> first = store.enqueueFire("nightly", fire, job().build());
        Optional<EnqueueResult> again = store.enqueueFire("nightly", fire, job().build());
        Optional<EnqueueResult> earlier = store.enqueueFire("nightly", fire - 60_000, job().build());

        assertThat(first).isPresent();
        assertThat(first.get().duplicate()).isFalse();
        assertThat(again).isEmpty();
        assertThat(earlier).isEmpty();
        assertThat(store.lastFire("nightly")).hasValue(fire);
        assertThat(store.lastFire("never")).isEmpty();
        assertThat(ids(claim(10))).containsExactly(first.get().id());
    }

    @Test
    void aFireWhoseUniqueKeyIsHeldIsUsedUpAsADuplicate() {
        JobId previous = store.enqueueFire("hourly", now(), job().uniqueKey("hourly").build()).orElseThrow().id();
        clock.advanceMillis(3_600_000);

        Optional<EnqueueResult> next = store.enqueueFire("hourly", now(), job().uniqueKey("hourly").build());

        assertThat(next).hasValueSatisfying(result -> {
            assertThat(result.duplicate()).isTrue();
            assertThat(result.id()).isEqualTo(previous);
        });
        assertThat(store.lastFire("hourly")).hasValue(now());
    }

    @Test
    void racingNodesStoreAFireOnce() throws Exception {
        long fire = now();
        List<Optional<EnqueueResult>> results = concurrently(4,
                t -> store.enqueueFire("race", fire, job().build()));

        assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
        assertThat(claim(10).jobs()).hasSize(1);
    }

    // ---------------------------------------------------------------- leader leases

    @Test
    void aLeaseIsGrantedRenewedAndRefusedToOthers() {
        LeaderLease taken = store.tryLead("maintenance", "node-1", 10_000).orElseThrow();
        clock.advanceMillis(5_000);
        LeaderLease renewed = store.tryLead("maintenance", "node-1", 10_000).orElseThrow();

        assertThat(taken.owner()).isEqualTo("node-1");
        assertThat(renewed.fencingToken()).isEqualTo(taken.fencingToken());
        assertThat(renewed.expiresAt()).isEqualTo(clock.instant().plusMillis(10_000));
        assertThat(store.tryLead("maintenance", "node-2", 10_000)).isEmpty();
        assertThat(store.leader("maintenance")).hasValueSatisfying(lease ->
                assertThat(lease.owner()).isEqualTo("node-1"));
        assertThat(store.tryLead("other-role", "node-2", 10_000)).isPresent();
    }

    @Test
    void anExpiredLeasePassesToAnotherNodeWithAGreaterToken() {
        LeaderLease first = store.tryLead("maintenance", "node-1", 10_000).orElseThrow();
        clock.advanceMillis(10_001);

        assertThat(store.leader("maintenance")).isEmpty();
        LeaderLease second = store.tryLead("maintenance", "node-2", 10_000).orElseThrow();

        assertThat(second.owner()).isEqualTo("node-2");
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        assertThat(store.tryLead("maintenance", "node-1", 10_000)).isEmpty();
    }

    @Test
    void aResignedLeaseIsFreeAtOnce() {
        LeaderLease first = store.tryLead("maintenance", "node-1", 10_000).orElseThrow();
        store.resign("maintenance", "node-2"); // not the holder: no effect
        assertThat(store.leader("maintenance")).isPresent();

        store.resign("maintenance", "node-1");

        assertThat(store.leader("maintenance")).isEmpty();
        assertThat(store.tryLead("maintenance", "node-2", 10_000)).hasValueSatisfying(lease ->
                assertThat(lease.fencingToken()).isGreaterThan(first.fencingToken()));
    }

    @Test
    void racingNodesGetOneLease() throws Exception {
        List<Optional<LeaderLease>> results = concurrently(4,
                t -> store.tryLead("race", "node-" + t, 10_000));

        assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
    }

    // ---------------------------------------------------------------- node registry

    @Test
    void nodesAreListedUntilTheirHeartbeatsLapse() {
        Instant started = clock.instant();
        store.heartbeat(new NodeInfo("node-b", "host-1", started, null, 8, 3), 10_000);
        store.heartbeat(new NodeInfo("node-a", "host-2", started, null, 4, 0), 30_000);

        assertThat(store.nodes()).extracting(NodeInfo::nodeId).containsExactly("node-a", "node-b");
        NodeInfo b = store.nodes().get(1);
        assertThat(b.lastSeen()).isEqualTo(clock.instant());
        assertThat(b.workers()).isEqualTo(8);
        assertThat(b.running()).isEqualTo(3);
        assertThat(b.host()).isEqualTo("host-1");

        clock.advanceMillis(10_001);
        assertThat(store.nodes()).extracting(NodeInfo::nodeId).containsExactly("node-a");
        store.removeNode("node-a");
        assertThat(store.nodes()).isEmpty();
    }

    // ---------------------------------------------------------------- audit trail

    @Test
    void historyIsKeptInOrderPerJob() {
        JobId id = enqueueOne(job());
        JobId other = enqueueOne(job());
        Instant at = clock.instant();
        HistoryEntry created = new HistoryEntry(id, at, null, JobState.READY, 0, NODE, null);
        HistoryEntry started = new HistoryEntry(id, at.plusMillis(5), JobState.READY, JobState.RUNNING, 1, NODE, null);
        HistoryEntry failed = new HistoryEntry(id, at.plusMillis(9), JobState.RUNNING, JobState.DEAD, 1, NODE, "boom");

        store.appendHistory(List.of(created, started));
        store.appendHistory(List.of(new HistoryEntry(other, at, null, JobState.READY, 0, null, null), failed));

        assertThat(store.history(id)).containsExactly(created, started, failed);
        assertThat(store.history(JobId.next())).isEmpty();
    }
}
