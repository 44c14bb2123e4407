package dev.sluice.examples.volume;

import dev.sluice.Priority;
import dev.sluice.examples.support.Terminal;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HighVolumeQueueExampleTest {

    @Test
    void everyJobEndsAndLowJobsAreNotStarved() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new PrintStream(output, true, StandardCharsets.UTF_8), false);

        HighVolumeQueueExample.Result result = HighVolumeQueueExample.run(new String[] {"--jobs=20000",
                "--hour-ms=10", "--report-ms=100", "--work-micros=0", "--concurrency=4"}, Map.of(), terminal);

        assertThat(result.succeeded() + result.dead()).isEqualTo(20_000);
        assertThat(result.lowStarved()).isFalse();
        assertThat(result.waitP99Millis()).containsOnlyKeys(Priority.values());
        assertThat(result.jobsPerSecond()).isPositive();
        assertThat(result.health()).isNotNull();
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("jobs/s", "wait p99", "LOW jobs not starved",
                "health: ");
    }
}
