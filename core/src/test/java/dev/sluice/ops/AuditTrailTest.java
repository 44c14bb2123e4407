package dev.sluice.ops;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.NonRetryableException;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import dev.sluice.store.HistoryEntry;
import dev.sluice.store.InMemoryJobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.sluice.ops.OpsTesting.PATIENCE;
import static dev.sluice.ops.OpsTesting.engine;
import static dev.sluice.ops.OpsTesting.fastOperations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

class AuditTrailTest {

    private final InMemoryJobStore store = InMemoryJobStore.builder().build();
    private final AtomicBoolean failNext = new AtomicBoolean(true);
    private Sluice sluice;

    @AfterEach
    void closeEngine() {
        if (sluice != null) {
            sluice.close();
        }
    }

    private Sluice start(boolean audit) {
        sluice = engine(store).nodeId("auditor")
                .handler("flaky", String.class, (payload, ctx) -> {
                    if (failNext.getAndSet(false)) {
                        throw new IllegalStateException("first attempt fails");
                    }
                    return "ok";
                }, RetryPolicy.builder().maxAttempts(3).initialInterval(Duration.ofMillis(10)).jitter(0).build(),
                        null)
                .handler("fatal", String.class, (payload, ctx) -> {
                    throw new NonRetryableException("no way");
                })
                .operations(fastOperations().auditTrail(audit).build())
                .build().start();
        return sluice;
    }

    private List<HistoryEntry> historyOf(JobId id, int entries) {
        await().atMost(PATIENCE).until(() -> store.history(id).size() >= entries);
        return store.history(id);
    }

    @Test
    void recordsEveryTransitionOfARetriedJobWithAttemptNodeAndError() throws InterruptedException {
        start(true);
        JobId id = sluice.submit(JobRequest.of("flaky", "x"));
        sluice.await(id, PATIENCE);

        List<HistoryEntry> history = historyOf(id, 5);

        assertThat(history).extracting(HistoryEntry::from, HistoryEntry::to, HistoryEntry::attempt)
                .containsExactly(
                        tuple(null, JobState.READY, 0),
                        tuple(JobState.READY, JobState.RUNNING, 1),
                        tuple(JobState.RUNNING, JobState.SCHEDULED, 1),
                        tuple(JobState.READY, JobState.RUNNING, 2),
                        tuple(JobState.RUNNING, JobState.SUCCEEDED, 2));
        assertThat(history).extracting(HistoryEntry::node).containsOnly("auditor");
        assertThat(history.get(2).error()).contains("first attempt fails");
        assertThat(history).extracting(HistoryEntry::at).isSorted();
        assertThat(sluice.admin().job(id).orElseThrow().history())
                .extracting(JobDetail.StateChange::to)
                .containsExactly(JobState.READY, JobState.RUNNING, JobState.SCHEDULED, JobState.RUNNING,
                        JobState.SUCCEEDED);
    }

    @Test
    void recordsCancelsWhileWaitingAndRetriesByHand() throws InterruptedException {
        start(true);
        JobId later = sluice.submit(JobRequest.builder("flaky").payload("x").delay(Duration.ofHours(1)).build());
        sluice.cancel(later);
        JobId fatal = sluice.submit(JobRequest.of("fatal", "x"));
        sluice.await(fatal, PATIENCE);
        sluice.admin().retry(fatal);

        assertThat(historyOf(later, 2)).extracting(HistoryEntry::from, HistoryEntry::to)
                .containsExactly(tuple(null, JobState.SCHEDULED), tuple(JobState.SCHEDULED, JobState.CANCELLED));
        List<HistoryEntry> fatalHistory = historyOf(fatal, 6);
        assertThat(fatalHistory.subList(0, 4)).extracting(HistoryEntry::from, HistoryEntry::to)
                .containsExactly(tuple(null, JobState.READY), tuple(JobState.READY, JobState.RUNNING),
                        tuple(JobState.RUNNING, JobState.DEAD), tuple(JobState.DEAD, JobState.READY));
        assertThat(fatalHistory.get(2).error()).contains("no way");
        assertThat(fatalHistory.get(3).error()).isEqualTo("retried by hand");
    }

    @Test
    void isOffByDefault() throws InterruptedException {
        sluice = engine(store).handler("flaky", String.class, (payload, ctx) -> "ok").build().start();
        JobId id = sluice.submit(JobRequest.of("flaky", "x"));
        sluice.await(id, PATIENCE);

        assertThat(sluice.admin().flush(PATIENCE)).isTrue();
        assertThat(store.history(id)).isEmpty();
    }

    @Test
    void entriesLeftAtCloseAreWritten() throws InterruptedException {
        sluice = engine(store).handler("flaky", String.class, (payload, ctx) -> "ok")
                .operations(fastOperations().auditTrail(true).auditFlushInterval(Duration.ofHours(1)).build())
                .build().start();
        JobId id = sluice.submit(JobRequest.of("flaky", "x"));
        sluice.await(id, PATIENCE);

        sluice.close();

        assertThat(store.history(id)).extracting(HistoryEntry::to)
                .containsExactly(JobState.READY, JobState.RUNNING, JobState.SUCCEEDED);
    }
}
