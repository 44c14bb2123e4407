package dev.sluice.store.contract;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.store.ClaimBatch;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.JobStore;
import dev.sluice.store.NewJob;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which due job a claim hands out first: priority, ready time, aging, ids; and when delayed jobs become due. */
abstract class OrderingContract extends ContractTheme {

    private static final long STEP = AGING_STEP.toMillis();

    @Test
    void higherPriorityIsClaimedFirstAmongJobsReadyAtTheSameTime() {
        JobId low = enqueueOne(job().priority(Priority.LOW));
        JobId normal = enqueueOne(job().priority(Priority.NORMAL));
        JobId critical = enqueueOne(job().priority(Priority.CRITICAL));
        JobId high = enqueueOne(job().priority(Priority.HIGH));

        assertThat(ids(claim(10))).containsExactly(critical, high, normal, low);
    }

    @Test
    void samePriorityIsClaimedInReadyOrderWhateverTheIds() {
        JobId first = JobId.next();
        JobId second = JobId.next();
        JobId third = JobId.next();
        enqueueOne(job().id(third));
        clock.advanceMillis(1_000);
        enqueueOne(job().id(second));
        clock.advanceMillis(1_000);
        enqueueOne(job().id(first));

        assertThat(ids(claim(10))).containsExactly(third, second, first);
    }

    @Test
    void jobsReadyAtTheSameTimeWithTheSamePriorityAreClaimedByAscendingId() {
        List<JobId> ids = List.of(JobId.next(), JobId.next(), JobId.next(), JobId.next(), JobId.next());
        List<NewJob> shuffled = new ArrayList<>();
        for (int i : new int[] {3, 0, 4, 2, 1}) {
            shuffled.add(job().id(ids.get(i)).build());
        }
        enqueue(shuffled);

        assertThat(ids(claim(10))).containsExactlyElementsOf(ids);
    }

    @Test
    void equalSortKeysAreClaimedByAscendingIdAcrossPriorities() {
        // LOW ready at t and NORMAL ready at t + one step have the same sort key t.
        JobId smaller = JobId.next();
        JobId larger = JobId.next();
        enqueueOne(job().id(larger).priority(Priority.LOW));
        clock.advanceMillis(STEP);
        enqueueOne(job().id(smaller).priority(Priority.NORMAL));

        assertThat(ids(claim(10))).containsExactly(smaller, larger);
    }

    @Test
    void scheduledJobsBecomeReadyAtTheirRunAtAndKeepThatPlace() {
        long start = now();
        JobId at30 = enqueueOne(job().runAtMillis(start + 30_000));
        JobId at10 = enqueueOne(job().runAtMillis(start + 10_000));
        JobId at20 = enqueueOne(job().runAtMillis(start + 20_000));
        clock.advanceMillis(15_000);
        JobId readyAt15 = enqueueOne(job());
        clock.advanceMillis(45_000);

        assertThat(ids(claim(10))).containsExactly(at10, readyAt15, at20, at30);
    }

    @Test
    void lowJobReadyMoreThanThreeAgingStepsEarlierBeatsFreshCritical() {
        JobId low = enqueueOne(job().priority(Priority.LOW));
        clock.advanceMillis(3 * STEP + 1);
        JobId critical = enqueueOne(job().priority(Priority.CRITICAL));

        assertThat(ids(claim(10))).containsExactly(low, critical);
    }

    @Test
    void criticalReadyWithinThreeAgingStepsOfALowJobStillGoesFirst() {
        JobId low = enqueueOne(job().priority(Priority.LOW));
        clock.advanceMillis(3 * STEP - 1);
        JobId critical = enqueueOne(job().priority(Priority.CRITICAL));

        assertThat(ids(claim(10))).containsExactly(critical, low);
    }

    @Test
    void normalJobReadyTwoStepsEarlierBeatsFreshHighButNotFreshCritical() {
        JobId normal = enqueueOne(job().priority(Priority.NORMAL));
        clock.advanceMillis(STEP + STEP / 2);
        JobId high = enqueueOne(job().priority(Priority.HIGH));
        JobId critical = enqueueOne(job().priority(Priority.CRITICAL));

        // sort keys: normal t - 1 step, high t + 1.5 - 2 = t - 0.5 step, critical t + 1.5 - 3 = t - 1.5 steps
        assertThat(ids(claim(10))).containsExactly(critical, normal, high);
    }

    @Test
    void lowJobUnderAConstantCriticalFloodStartsOnceCriticalJobsReadyBeforeItsBoundHaveStarted() {
        Duration step = Duration.ofSeconds(1);
        JobStore flooded = openStore(step);
        long lowReadyAt = now();
        JobId low = flooded.enqueue(List.of(job().priority(Priority.LOW).build())).get(0).id();
        long bound = lowReadyAt + 3 * step.toMillis();

        // Ten CRITICAL jobs arrive every 100 ms and a worker takes eight: the backlog of CRITICAL jobs only grows.
        List<ClaimedJob> claimOrder = new ArrayList<>();
        int criticalReadyBeforeBound = 0;
        int ticks = 0;
        while (claimOrder.stream().noneMatch(c -> c.id().equals(low)) && ticks++ < 200) {
            clock.advanceMillis(100);
            List<NewJob> arrivals = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                arrivals.add(job().priority(Priority.CRITICAL).build());
            }
            flooded.enqueue(arrivals);
            if (now() < bound) {
                criticalReadyBeforeBound += arrivals.size();
            }
            claimOrder.addAll(flooded.claim(new ClaimRequest(NODE, LEASE_MILLIS, 8, List.of(queueClaim(QUEUE, 8))))
                    .jobs());
        }

        int lowIndex = ids(claimOrder).indexOf(low);
        assertThat(lowIndex).as("the LOW job was claimed within 200 ticks").isNotNegative();
        assertThat(claimOrder.subList(0, lowIndex))
                .as("CRITICAL jobs claimed before the LOW job all became ready before its bound")
                .allSatisfy(c -> assertThat(c.readyAtMillis()).isLessThan(bound));
        assertThat(lowIndex).as("the LOW job starts right after the CRITICAL jobs ready before its bound")
                .isEqualTo(criticalReadyBeforeBound);
        assertThat(ticks).as("ticks of 100 ms until the LOW job started").isLessThanOrEqualTo(40);
    }

    @Test
    void delayedJobIsNotClaimableUntilItsRunAt() {
        long runAt = now() + 5_000;
        JobId delayed = enqueueOne(job().runAtMillis(runAt));
        assertThat(stateOf(delayed)).isEqualTo(JobState.SCHEDULED);

        ClaimBatch early = claim(10);
        assertThat(early.jobs()).isEmpty();
        assertThat(early.nextRunAtMillis()).as("hint: the run-at, or 0 when unknown").isIn(0L, runAt);

        clock.advanceMillis(4_999);
        assertThat(claim(10).jobs()).isEmpty();
        clock.advanceMillis(1);
        assertThat(ids(claim(10))).containsExactly(delayed);
    }

    @Test
    void claimHintIsTheEarliestRunAtOfTheAskedQueues() {
        long start = now();
        enqueue(job().runAtMillis(start + 10_000), job().runAtMillis(start + 5_000),
                job().queue("elsewhere").runAtMillis(start + 1_000));
        enqueueOne(job());

        ClaimBatch batch = claim(10);
        assertThat(batch.jobs()).hasSize(1);
        assertThat(batch.nextRunAtMillis()).isIn(0L, start + 5_000);
    }

    @Test
    void jobWithRunAtInThePastIsReadyAtOnce() {
        JobId job = enqueueOne(job().runAtMillis(now() - 60_000));

        assertThat(stateOf(job)).isEqualTo(JobState.READY);
        assertThat(ids(claim(10))).containsExactly(job);
    }
}
