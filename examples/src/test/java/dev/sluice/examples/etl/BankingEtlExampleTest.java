package dev.sluice.examples.etl;

import dev.sluice.JobState;
import dev.sluice.batch.BatchReport;
import dev.sluice.examples.support.Terminal;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BankingEtlExampleTest {

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final Terminal terminal = new Terminal(new PrintStream(output, true, StandardCharsets.UTF_8), false);

    @Test
    void runWithinTheThresholdSucceedsAndReportsEveryRecord() throws Exception {
        BankingEtlExample.Result result = BankingEtlExample.run(new String[] {"--total-records=20000",
                "--batch-size=500", "--concurrency=2", "--write-latency-ms=0", "--run-id=test-ok"}, Map.of(), terminal);

        assertThat(result.exitCode()).isZero();
        assertThat(result.jobState()).isEqualTo(JobState.SUCCEEDED);
        BatchReport report = result.report();
        assertThat(report.status()).isEqualTo(BatchReport.Status.SUCCEEDED);
        assertThat(report.totalRecords()).isEqualTo(20_000);
        assertThat(report.totalBatches()).isEqualTo(40);
        assertThat(report.failedRecords()).isBetween(100L, 300L); // failure rate 1% of 20,000
        assertThat(report.retries()).isPositive();                // 2% of ledger writes time out once
        assertThat(result.transitions()).contains("READY → RUNNING", "RUNNING → SUCCEEDED");
        assertThat(text()).contains("records/s", "batch latency", "max memory", "error rate",
                "status          SUCCEEDED (exit code 0)");
    }

    @Test
    void runPastTheThresholdFailsWithExitCodeOne() throws Exception {
        BankingEtlExample.Result result = BankingEtlExample.run(new String[] {"--total-records=20000",
                "--write-latency-ms=0", "--run-id=test-failing"},
                Map.of("FAILURE_RATE", "0.3", "FAILURE_THRESHOLD_PERCENT", "10"), terminal);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.jobState()).isEqualTo(JobState.DEAD);
        assertThat(result.report().status()).isEqualTo(BatchReport.Status.FAILED);
        assertThat(result.report().totalRecords()).isLessThan(20_000);
        assertThat(result.transitions()).contains("RUNNING → DEAD");
        assertThat(text()).contains("threshold 10.0%", "status          FAILED (exit code 1)");
    }

    @Test
    void sameSeedGivesTheSameRecordsOnEveryRead() {
        EtlRun run = new EtlRun("r", 5_000, 7, 100, 1, 0.1, 0, 5, 0);
        TransactionSource whole = new TransactionSource(run);
        whole.open(null);
        whole.read(1_234);
        TransactionSource resumed = new TransactionSource(run);
        resumed.open(whole.cursor());

        assertThat(resumed.read(10)).isEqualTo(whole.read(10));
    }

    private String text() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
