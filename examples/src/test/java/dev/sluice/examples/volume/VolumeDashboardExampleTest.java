package dev.sluice.examples.volume;

import dev.sluice.examples.support.Terminal;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VolumeDashboardExampleTest {

    @Test
    void runsADayOfJobsWithTheDashboardOnLoopback() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new PrintStream(output, true, StandardCharsets.UTF_8), false);

        VolumeDashboardExample.Result result = VolumeDashboardExample.run(new String[] {"--jobs=2000",
                "--hour-ms=5", "--work-micros=0", "--dashboard-port=0", "--linger-seconds=0"}, Map.of(), terminal);

        assertThat(result.dashboard().getHost()).isEqualTo("127.0.0.1");
        assertThat(result.deadJobs()).hasSize(2);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("Dashboard at http://127.0.0.1:",
                "all jobs submitted");
    }

    @Test
    void refusesAnOpenAddressWithoutAToken() {
        assertThatThrownBy(() -> VolumeDashboardExample.run(new String[] {"--dashboard-address=0.0.0.0",
                "--dashboard-port=0", "--linger-seconds=0"}, Map.of(),
                new Terminal(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.0.0.0");
    }
}
