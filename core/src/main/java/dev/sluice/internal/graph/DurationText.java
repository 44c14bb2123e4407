package dev.sluice.internal.graph;

import java.time.Duration;
import java.util.Locale;

/** Durations as people read them in plans: "850 ms", "2.5 s", "3 min 20 s", "1 h 5 min". */
final class DurationText {

    private DurationText() {
    }

    static String of(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0 s";
        }
        if (nanos < 1_000_000) {
            return (nanos + 999) / 1_000 + " us";
        }
        if (nanos < 1_000_000_000) {
            return decimal(nanos / 1e6) + " ms";
        }
        long seconds = duration.getSeconds();
        if (seconds < 60) {
            return decimal(nanos / 1e9) + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        long minutes = seconds / 60;
        return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
    }

    /** One decimal when it says something ("2.5"), none when it does not ("2"). */
    private static String decimal(double value) {
        String text = String.format(Locale.ROOT, "%.1f", value);
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }
}
