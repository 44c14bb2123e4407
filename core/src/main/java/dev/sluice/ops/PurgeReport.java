package dev.sluice.ops;

/**
 * What one purge deleted.
 *
 * @param finished SUCCEEDED and CANCELLED jobs deleted
 * @param dead     DEAD jobs deleted
 */
public record PurgeReport(int finished, int dead) {

    public int total() {
        return finished + dead;
    }
}
