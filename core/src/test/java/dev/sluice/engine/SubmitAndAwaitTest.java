package dev.sluice.engine;

import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static dev.sluice.engine.EngineTesting.PATIENCE;
import static dev.sluice.engine.EngineTesting.engine;
import static dev.sluice.engine.EngineTesting.storedJobs;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class SubmitAndAwaitTest {

    record Invoice(String customer, long cents) {
    }

    record Receipt(String customer, long cents, boolean paid) {
    }

    @Test
    void submittedJobSucceedsWithTheHandlersStringResult() throws Exception {
        try (Sluice sluice = engine()
                .handler("shout", String.class, (text, ctx) -> text.toUpperCase())
                .build().start()) {
            JobId id = sluice.submit("shout", "hello");

            JobInfo done = sluice.await(id, PATIENCE);

            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.attempts()).isEqualTo(1);
            assertThat(done.result(String.class)).contains("HELLO");
            assertThat(done.lastError()).isEmpty();
        }
    }

    @Test
    void recordPayloadAndResultTravelAsJson() throws Exception {
        try (Sluice sluice = engine()
                .handler("pay", Invoice.class,
                        (invoice, ctx) -> new Receipt(invoice.customer(), invoice.cents(), true))
                .build().start()) {
            JobId id = sluice.submit("pay", new Invoice("ada", 1250));

            JobInfo done = sluice.await(id, PATIENCE);

            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.result(Receipt.class)).contains(new Receipt("ada", 1250, true));
        }
    }

    @Test
    void handlerReturningNullLeavesNoResult() throws Exception {
        try (Sluice sluice = engine()
                .handler("quiet", String.class, (text, ctx) -> null)
                .build().start()) {
            JobInfo done = sluice.await(sluice.submit("quiet", "x"), PATIENCE);

            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.resultBytes()).isNull();
            assertThat(done.result(String.class)).isEmpty();
        }
    }

    @Test
    void submitAllStoresEveryJobInOneStoreCall() throws Exception {
        CountingStore store = new CountingStore(InMemoryJobStore.builder().build());
        try (Sluice sluice = engine()
                .store(store)
                .handler("shout", String.class, (text, ctx) -> text.toUpperCase())
                .build().start()) {
            List<JobId> ids = sluice.submitAll(List.of(
                    JobRequest.of("shout", "a"), JobRequest.of("shout", "b"), JobRequest.of("shout", "c")));

            assertThat(store.enqueueSizes()).containsExactly(3);
            assertThat(ids).hasSize(3).doesNotHaveDuplicates();
            assertThat(sluice.await(ids.get(0), PATIENCE).result(String.class)).contains("A");
            assertThat(sluice.await(ids.get(1), PATIENCE).result(String.class)).contains("B");
            assertThat(sluice.await(ids.get(2), PATIENCE).result(String.class)).contains("C");
        }
    }

    @Test
    void duplicateUniqueKeyReturnsTheHoldersId() throws Exception {
        try (Sluice sluice = engine()
                .handler("report", String.class, (text, ctx) -> text)
                .build().start()) {
            // A delay keeps the first job live (SCHEDULED) while the duplicate arrives.
            JobRequest first = JobRequest.builder("report").payload("monthly").uniqueKey("report-2024-05")
                    .delay(Duration.ofHours(1)).build();
            JobRequest again = JobRequest.builder("report").payload("monthly, again").uniqueKey("report-2024-05")
                    .build();

            JobId holder = sluice.submit(first);
            JobId duplicate = sluice.submit(again);

            assertThat(duplicate).isEqualTo(holder);
            assertThat(storedJobs(sluice.stats())).isEqualTo(1);
            assertThat(sluice.find(holder)).get().extracting(JobInfo::state).isEqualTo(JobState.SCHEDULED);
        }
    }

    @Test
    void uniqueKeyIsFreeAgainOnceItsHolderFinished() throws Exception {
        try (Sluice sluice = engine()
                .handler("report", String.class, (text, ctx) -> text)
                .build().start()) {
            JobRequest request = JobRequest.builder("report").payload("daily").uniqueKey("daily").build();
            JobId first = sluice.submit(request);
            assertThat(sluice.await(first, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);

            JobId second = sluice.submit(request);

            assertThat(second).isNotEqualTo(first);
            assertThat(sluice.await(second, PATIENCE).state()).isEqualTo(JobState.SUCCEEDED);
        }
    }
}
