package dev.sluice.engine;

import dev.sluice.JobInfo;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.sluice.engine.EngineTesting.PATIENCE;
import static dev.sluice.engine.EngineTesting.engine;
import static dev.sluice.engine.EngineTesting.isVirtual;
import static org.assertj.core.api.Assertions.assertThat;

/** Runs on Java 17 and on 21+; CI runs core's tests on both. */
@Timeout(30)
class VirtualThreadsTest {

    private static final boolean JVM_HAS_VIRTUAL_THREADS = Runtime.version().feature() >= 21;

    @Test
    void handlersRunOnVirtualThreadsWhenAskedAndTheJvmHasThem() throws Exception {
        try (Sluice sluice = engine()
                .virtualThreads(true)
                .handler("where", String.class, (payload, ctx) -> isVirtual(Thread.currentThread()))
                .build().start()) {
            assertThat(sluice.usesVirtualThreads()).isEqualTo(JVM_HAS_VIRTUAL_THREADS);

            JobInfo done = sluice.await(sluice.submit("where", "x"), PATIENCE);

            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.result(Boolean.class)).contains(JVM_HAS_VIRTUAL_THREADS);
        }
    }

    @Test
    void handlersRunOnPlatformThreadsUnlessAsked() throws Exception {
        try (Sluice sluice = engine()
                .handler("where", String.class, (payload, ctx) -> isVirtual(Thread.currentThread()))
                .build().start()) {
            assertThat(sluice.usesVirtualThreads()).isFalse();

            JobInfo done = sluice.await(sluice.submit("where", "x"), PATIENCE);

            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.result(Boolean.class)).contains(false);
        }
    }
}
