package dev.sluice.examples.support;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExampleOptionsTest {

    private static final Set<String> KNOWN = Set.of("batch-size", "failure-rate");

    @Test
    void flagWinsOverEnvironmentVariableWhichWinsOverDefault() {
        ExampleOptions options = ExampleOptions.parse(new String[] {"--batch-size=1_000"},
                Map.of("BATCH_SIZE", "50", "FAILURE_RATE", "0.25"), KNOWN);

        assertThat(options.integer("batch-size", 7, 1, 1_000_000)).isEqualTo(1_000);
        assertThat(options.decimal("failure-rate", 0.01, 0, 1)).isEqualTo(0.25);
        assertThat(ExampleOptions.parse(new String[0], Map.of(), KNOWN).integer("batch-size", 7, 1, 10))
                .isEqualTo(7);
    }

    @Test
    void badValuesAndUnknownFlagsAreRefusedNamingThem() {
        assertThatThrownBy(() -> ExampleOptions.parse(new String[] {"--batch-sise=5"}, Map.of(), KNOWN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--batch-sise");
        ExampleOptions options = ExampleOptions.parse(new String[] {"--batch-size=0"}, Map.of(), KNOWN);
        assertThatThrownBy(() -> options.integer("batch-size", 7, 1, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--batch-size (BATCH_SIZE) must be in [1, 10] but was '0'");
    }
}
