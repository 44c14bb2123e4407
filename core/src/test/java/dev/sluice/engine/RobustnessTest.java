package dev.sluice.engine;

import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobState;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import dev.sluice.store.InMemoryJobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.engine.EngineTesting.PATIENCE;
import static dev.sluice.engine.EngineTesting.engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

/** What a job does must never stop the engine from running the next one. */
@Timeout(30)
class RobustnessTest {

    record Shipment(String orderId, int parcels) {
    }

    @Test
    void handlerThrowingAnErrorDoesNotKillItsWorker() throws Exception {
        AtomicInteger okRuns = new AtomicInteger();
        // One worker: if an Error killed it, nothing after the failing jobs could run.
        try (Sluice sluice = engine()
                .concurrency(1)
                .handler("assert", String.class, (payload, ctx) -> {
                    throw new AssertionError("invariant broken for " + payload);
                }, RetryPolicy.none(), null)
                .handler("recurse", String.class, (payload, ctx) -> recurseForever(0), RetryPolicy.none(), null)
                .handler("ok", String.class, (payload, ctx) -> okRuns.incrementAndGet())
                .build().start()) {
            JobInfo asserted = sluice.await(sluice.submit("assert", "a"), PATIENCE);
            JobInfo overflowed = sluice.await(sluice.submit("recurse", "r"), PATIENCE);
            JobInfo after = sluice.await(sluice.submit("ok", "x"), PATIENCE);

            assertThat(asserted.state()).isEqualTo(JobState.DEAD);
            assertThat(asserted.lastError()).get(STRING).contains("java.lang.AssertionError: invariant broken for a");
            assertThat(overflowed.state()).isEqualTo(JobState.DEAD);
            assertThat(overflowed.lastError()).get(STRING).contains("java.lang.StackOverflowError");
            assertThat(after.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(okRuns).hasValue(1);
        }
    }

    private static int recurseForever(int depth) {
        return recurseForever(depth + 1) + 1;
    }

    @Test
    void payloadTheCodecCannotDecodeEndsDeadAndTheEngineKeepsRunning() throws Exception {
        InMemoryJobStore store = InMemoryJobStore.builder().build();
        try (Sluice producer = Sluice.builder().store(store).producerOnly(true).build();
             Sluice worker = engine()
                     .store(store)
                     .handler("ship", Shipment.class, (shipment, ctx) -> "shipped " + shipment.orderId())
                     .build().start()) {
            // The producer has no handler, so it cannot check the payload class: a String goes in as bytes.
            JobId garbled = producer.submit("ship", "this is not JSON");
            JobId fine = producer.submit("ship", new Shipment("o-1", 2));

            JobInfo dead = worker.await(garbled, PATIENCE);
            JobInfo shipped = worker.await(fine, PATIENCE);

            assertThat(dead.state()).isEqualTo(JobState.DEAD);
            assertThat(dead.attempts()).isEqualTo(1);
            assertThat(dead.lastError()).get(STRING)
                    .contains("payload cannot be decoded")
                    .contains(Shipment.class.getName());
            assertThat(shipped.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(shipped.result(String.class)).contains("shipped o-1");
        }
    }
}
