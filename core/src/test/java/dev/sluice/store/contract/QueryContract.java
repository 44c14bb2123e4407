package dev.sluice.store.contract;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.QueueStats;
import dev.sluice.store.StoreStats;
import dev.sluice.store.StoredJob;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reading the store: find, list with paging, stats; and wake-up callbacks. */
abstract class QueryContract extends ContractTheme {

    @Test
    void findReturnsNothingForAnUnknownId() {
        assertThat(store.find(JobId.next())).isEmpty();
    }

    @Test
    void findAllReturnsTheJobsThatExist() {
        List<JobId> ids = enqueueMany(3);
        JobId unknown = JobId.next();

        List<StoredJob> found = store.findAll(List.of(ids.get(0), unknown, ids.get(2)));

        assertThat(found).extracting(StoredJob::id).containsExactlyInAnyOrder(ids.get(0), ids.get(2));
        assertThat(store.findAll(List.of())).isEmpty();
    }

    @Test
    void listPagesThroughAllJobsByAscendingId() {
        List<JobId> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            all.add(enqueueOne(job().queue(i % 2 == 0 ? "even" : "odd")));
        }

        List<JobId> seen = new ArrayList<>();
        JobQuery query = new JobQuery(null, null, null, null, 10);
        List<Integer> pageSizes = new ArrayList<>();
        while (true) {
            List<StoredJob> page = store.list(query);
            pageSizes.add(page.size());
            if (page.isEmpty()) {
                break;
            }
            page.forEach(j -> seen.add(j.id()));
            query = query.after(page.get(page.size() - 1).id());
        }

        assertThat(pageSizes).containsExactly(10, 10, 5, 0);
        assertThat(seen).isSorted().containsExactlyElementsOf(all.stream().sorted().toList());
    }

    @Test
    void listFiltersByStateQueueAndType() {
        JobId evenReady = enqueueOne(job().queue("even").type("a"));
        JobId oddReady = enqueueOne(job().queue("odd").type("b"));
        JobId evenScheduled = enqueueOne(job().queue("even").type("b").delay(Duration.ofMinutes(1)));

        assertThat(store.list(new JobQuery(JobState.READY, null, null, null, 100))).extracting(StoredJob::id)
                .containsExactly(evenReady, oddReady);
        assertThat(store.list(new JobQuery(null, "even", null, null, 100))).extracting(StoredJob::id)
                .containsExactly(evenReady, evenScheduled);
        assertThat(store.list(new JobQuery(null, null, "b", null, 100))).extracting(StoredJob::id)
                .containsExactly(oddReady, evenScheduled);
        assertThat(store.list(new JobQuery(JobState.SCHEDULED, "even", "b", null, 100))).extracting(StoredJob::id)
                .containsExactly(evenScheduled);
        assertThat(store.list(new JobQuery(JobState.DEAD, null, null, null, 100))).isEmpty();
    }

    @Test
    void statsCountJobsPerQueueAndState() {
        enqueue(job().queue("mail"), job().queue("mail"), job().queue("mail"));
        clock.advanceMillis(1_000);
        enqueue(job().queue("mail"), job().queue("mail").delay(Duration.ofMinutes(1)));
        enqueue(job().queue("billing"), job().queue("billing"));
        List<ClaimedJob> mail = claim(3, queueClaim("mail", 3)).jobs();
        List<ClaimedJob> billing = claim(2, queueClaim("billing", 2)).jobs();
        store.completeAll(List.of(Completion.succeeded(mail.get(0).id(), mail.get(0).fencingToken(), null),
                Completion.succeeded(mail.get(1).id(), mail.get(1).fencingToken(), null),
                Completion.dead(billing.get(0).id(), billing.get(0).fencingToken(), "broken")));
        store.pauseQueue("reports");

        StoreStats stats = store.stats();

        QueueStats mailStats = stats.queues().get("mail");
        assertThat(mailStats.count(JobState.READY)).isEqualTo(1);
        assertThat(mailStats.count(JobState.SCHEDULED)).isEqualTo(1);
        assertThat(mailStats.count(JobState.RUNNING)).isEqualTo(1);
        assertThat(mailStats.count(JobState.SUCCEEDED)).isEqualTo(2);
        assertThat(mailStats.count(JobState.DEAD)).isZero();
        assertThat(mailStats.oldestReadyAt()).isEqualTo(START.plusSeconds(1));
        assertThat(mailStats.paused()).isFalse();
        QueueStats billingStats = stats.queues().get("billing");
        assertThat(billingStats.count(JobState.RUNNING)).isEqualTo(1);
        assertThat(billingStats.count(JobState.DEAD)).isEqualTo(1);
        assertThat(billingStats.oldestReadyAt()).isNull();
        assertThat(stats.queues().get("reports")).as("a paused queue without jobs is listed").isNotNull()
                .extracting(QueueStats::paused).isEqualTo(true);
        assertThat(stats.total(JobState.RUNNING)).isEqualTo(2);
        assertThat(stats.takenAt()).isEqualTo(clock.instant());
    }

    @Test
    void oldestReadyAtIsTheLongestWaitingReadyJobWhateverItsPriority() {
        enqueueOne(job().priority(Priority.LOW));
        clock.advanceMillis(30_000);
        enqueueOne(job().priority(Priority.CRITICAL));
        enqueueOne(job().priority(Priority.HIGH));

        assertThat(store.stats().queues().get(QUEUE).oldestReadyAt()).isEqualTo(START);
    }

    @Test
    void subscriberIsToldAboutNewWork() throws Exception {
        Assumptions.assumeTrue(contract().supportsWakeUps(), "the store does not call back on new work");
        AtomicInteger calls = new AtomicInteger();

        try (AutoCloseable subscription = store.subscribe(calls::incrementAndGet)) {
            enqueueOne(job());

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(calls).hasPositiveValue());
        }
    }

    @Test
    void subscriberIsToldWhenAReleasedJobIsReadyAgain() throws Exception {
        Assumptions.assumeTrue(contract().supportsWakeUps(), "the store does not call back on new work");
        enqueueOne(job());
        ClaimedJob claimed = claimOne();
        AtomicInteger calls = new AtomicInteger();

        try (AutoCloseable subscription = store.subscribe(calls::incrementAndGet)) {
            complete(Completion.released(claimed.id(), claimed.fencingToken(), now()));

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(calls).hasPositiveValue());
        }
    }
}
