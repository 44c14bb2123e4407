package dev.sluice.fault.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of a harness run in {@code docs/reliability.md}: one row per scenario, rewritten after each scenario
 * so that an interrupted run still leaves its rows. Only the part between the two marker lines is the harness's;
 * the prose around it is kept. Thread-safe.
 */
public final class ReliabilityReport {

    static final String BEGIN = "<!-- fault-harness:begin (written by the fault harness; edits here are lost) -->";
    static final String END = "<!-- fault-harness:end -->";

    private final Path file;
    private final String runDescription;
    private final List<RunFigures> rows = new ArrayList<>();

    /**
     * @param file           the Markdown file
     * @param runDescription a line naming the machine and settings of this run
     */
    public ReliabilityReport(Path file, String runDescription) {
        this.file = file;
        this.runDescription = runDescription;
    }

    /** Adds a run's row and rewrites the table. */
    public synchronized void add(RunFigures figures) {
        rows.add(figures);
        write();
    }

    private void write() {
        StringBuilder table = new StringBuilder();
        table.append(BEGIN).append('\n');
        table.append("Run of ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                .substring(0, 19)).append(" UTC; ").append(runDescription).append("\n\n");
        table.append("| scenario | store | jobs | lost | duplicate executions | in flight on faulted nodes | duplicate "
                + "accepted completions | refused stale completions | recovery (ms) | lease + sweep (ms) | throughput "
                + "back (ms) | targets |\n");
        table.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (RunFigures f : rows) {
            List<String> missed = f.missedTargets();
            table.append("| ").append(f.scenario()).append(" | ").append(f.store()).append(" | ")
                    .append(String.format("%,d", f.jobs())).append(" | ").append(f.lost()).append(" | ")
                    .append(f.duplicateExecutions()).append(" | ").append(f.inFlightOnFaulted()).append(" | ")
                    .append(f.duplicateAcceptedCompletions()).append(" | ").append(f.staleCompletionsRefused())
                    .append(" | ").append(orDash(f.recoveryMillis())).append(" | ").append(f.recoveryTargetMillis())
                    .append(" | ").append(orDash(f.throughputBackMillis())).append(" | ")
                    .append(missed.isEmpty() ? "met" : "**missed**: " + String.join("; ", missed).replace('|', '/'))
                    .append(" |\n");
        }
        table.append(END).append('\n');
        try {
            String before = "# Reliability\n\n";
            String after = "";
            if (Files.exists(file)) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                int begin = text.indexOf(BEGIN);
                int end = text.indexOf(END);
                if (begin >= 0 && end > begin) {
                    before = text.substring(0, begin);
                    after = text.substring(end + END.length()).replaceFirst("^\n", "");
                } else {
                    before = text.endsWith("\n") ? text + "\n" : text + "\n\n";
                }
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, before + table + after, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reliability table to " + file, e);
        }
    }

    private static String orDash(long value) {
        return value < 0 ? "–" : String.format("%,d", value);
    }
}
