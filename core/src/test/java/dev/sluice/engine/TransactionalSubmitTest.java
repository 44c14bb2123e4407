package dev.sluice.engine;

import dev.sluice.JobRequest;
import dev.sluice.Sluice;
import dev.sluice.JobState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransactionalSubmitTest {

    @Test
    void storeWithoutTransactionsRefusesATransactionalSubmitAndStoresNothing() {
        try (Sluice sluice = Sluice.builder().handler("t", String.class, (p, ctx) -> null).build()) {
            assertThatThrownBy(() -> sluice.submitAll(new Object(), List.of(JobRequest.of("t", "x"))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("TransactionalEnqueue");
            assertThat(sluice.stats().total(JobState.READY)).isZero();
        }
    }
}
