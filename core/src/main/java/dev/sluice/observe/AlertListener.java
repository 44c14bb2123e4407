package dev.sluice.observe;

/**
 * Told when an alert starts and when it clears; never on every evaluation in between. Called from the
 * engine's observer thread, one alert at a time: keep it quick (hand slow work, such as paging someone, to
 * another thread). An exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface AlertListener {

    /** An alert started ({@link Alert#active()}) or cleared. */
    void onAlert(Alert alert);
}
