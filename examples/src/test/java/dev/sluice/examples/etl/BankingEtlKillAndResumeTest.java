package dev.sluice.examples.etl;

import dev.sluice.JobState;
import dev.sluice.examples.support.Terminal;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's promise about the main example: on PostgreSQL, a run killed midway (SIGKILL, no shutdown hook
 * runs) resumes where it stopped when started again with the same run id, without redoing committed batches.
 * The first run is a separate JVM so that it can really be killed.
 */
class BankingEtlKillAndResumeTest {

    private static final Pattern PERCENT = Pattern.compile("(\\d+\\.\\d)%");
    private static final Pattern BOOKED = Pattern.compile("ledger +([\\d,]+) transactions booked here");
    private static final int TOTAL = 200_000;
    private static final int BATCH = 1_000;

    @Test
    void aKilledRunResumesFromItsLastCheckpoint() throws Exception {
        assumeTrue(postgresAnswers(), "no PostgreSQL on 127.0.0.1:5432: the kill-and-resume test needs one");
        String runId = "kill-test-" + Long.toString(System.nanoTime(), 36);
        String[] args = {"--store=postgres", "--run-id=" + runId, "--total-records=" + TOTAL,
                "--batch-size=" + BATCH, "--concurrency=2", "--write-latency-ms=20", "--progress-update-ms=100"};

        Process first = startJvm(args);
        List<String> firstOutput = new ArrayList<>();
        double reached = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (reached < 25 && (line = out.readLine()) != null) {
                firstOutput.add(line);
                Matcher percent = PERCENT.matcher(line);
                if (percent.find()) {
                    reached = Double.parseDouble(percent.group(1));
                }
            }
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no drain, the lease stays held
            first.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(reached).as("progress seen before the kill; output: %s", firstOutput).isGreaterThanOrEqualTo(25);

        ByteArrayOutputStream second = new ByteArrayOutputStream();
        BankingEtlExample.Result resumed = BankingEtlExample.run(args, Map.of(),
                new Terminal(new PrintStream(second, true, StandardCharsets.UTF_8), false));

        String text = second.toString(StandardCharsets.UTF_8);
        assertThat(resumed.exitCode()).as(text).isZero();
        assertThat(resumed.jobState()).isEqualTo(JobState.SUCCEEDED);
        assertThat(text).contains("resuming run '" + runId + "' from its checkpoint");
        long resumedAt = resumed.report().resumedFromBatch();
        assertThat(resumedAt).as("batches committed by the killed run").isGreaterThanOrEqualTo(TOTAL / BATCH / 5);
        // the report counts the whole run, the killed part included
        assertThat(resumed.report().totalBatches()).isEqualTo(TOTAL / BATCH);
        assertThat(resumed.report().totalRecords()).isEqualTo(TOTAL);
        // this process booked only what the killed run had not committed (less the 1% rejected records)
        Matcher booked = BOOKED.matcher(text);
        assertThat(booked.find()).as(text).isTrue();
        long bookedHere = Long.parseLong(booked.group(1).replace(",", ""));
        long left = TOTAL - resumedAt * BATCH;
        assertThat(bookedHere).isLessThanOrEqualTo(left).isGreaterThan(left * 95 / 100);
    }

    private static Process startJvm(String[] args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BankingEtlExample.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .directory(new File(System.getProperty("user.dir"))).start();
    }

    private static boolean postgresAnswers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
