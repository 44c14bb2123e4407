package dev.sluice.examples.etl;

import dev.sluice.batch.BatchProgress;
import dev.sluice.examples.support.Terminal;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Draws the run's progress: a bar, records done of total, percent, records per second and time left. Rates are
 * measured from the first report this process saw, so a resumed run does not count the records of its
 * checkpoint as its own. Called on the batch processor's coordinating thread.
 */
final class ProgressBar implements Consumer<BatchProgress> {

    private static final int WIDTH = 30;

    private final Terminal terminal;
    private long firstNanos = -1;
    private long firstDone;

    ProgressBar(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public void accept(BatchProgress progress) {
        long now = System.nanoTime();
        if (firstNanos < 0) {
            firstNanos = now;
            firstDone = progress.doneRecords();
        }
        double seconds = (now - firstNanos) / 1e9;
        double rate = seconds > 0.05 ? (progress.doneRecords() - firstDone) / seconds : 0;
        long total = progress.totalRecords();
        double fraction = Math.max(0, progress.fraction());
        int filled = (int) Math.round(fraction * WIDTH);
        String eta = rate > 0 && total > 0 ? duration((total - progress.doneRecords()) / rate) : "--:--";
        String speed = rate > 0 ? String.format(Locale.ROOT, "%,.0f", rate) : "-";
        terminal.status(String.format(Locale.ROOT, "[%s%s] %5.1f%%  %,d / %,d records  %s records/s  ETA %s"
                        + "  failed %,d", "#".repeat(filled), ".".repeat(WIDTH - filled), fraction * 100,
                progress.doneRecords(), total, speed, eta, progress.failedRecords()));
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
