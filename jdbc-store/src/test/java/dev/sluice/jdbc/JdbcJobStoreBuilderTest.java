package dev.sluice.jdbc;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdbcJobStoreBuilderTest {

    @Test
    void tablePrefixThatIsNotAPlainIdentifierIsRefusedByName() {
        assertThatThrownBy(() -> JdbcJobStore.builder(TestDatabases.h2()).tablePrefix("jobs\"; drop").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tablePrefix").hasMessageContaining("'jobs\"; drop'");
    }

    @Test
    void schemaWithCapitalsIsRefusedByName() {
        assertThatThrownBy(() -> JdbcJobStore.builder(TestDatabases.h2()).schema("Jobs").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema").hasMessageContaining("'Jobs'");
    }

    @Test
    void agingStepOutOfRangeIsRefused() {
        assertThatThrownBy(() -> JdbcJobStore.builder(TestDatabases.h2()).agingStep(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agingStep");
    }

    @Test
    void dialectIsDetectedFromTheConnection() {
        try (JdbcJobStore h2 = JdbcJobStore.builder(TestDatabases.h2()).build();
             JdbcJobStore postgres = JdbcJobStore.builder(TestDatabases.postgres()).build()) {
            assertThat(h2.dialect()).isEqualTo(JdbcDialect.H2);
            assertThat(postgres.dialect()).isEqualTo(JdbcDialect.POSTGRESQL);
        }
    }
}
