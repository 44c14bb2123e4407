package dev.sluice.examples.support;

/**
 * Deterministic chance for the examples' simulated services: the same seed and inputs always give the same roll,
 * whatever thread asks and in what order, so a run with the same seed fails the same calls the same number of times
 * and its tests can rely on that. Stateless and thread-safe.
 */
public final class Dice {

    private Dice() {
    }

    /** A well-mixed 64-bit hash of {@code z} (the finaliser of SplitMix64). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A number in [0, 1) fixed by {@code seed} and {@code parts}, in order. */
    public static double roll(long seed, long... parts) {
        long h = mix(seed);
        for (long part : parts) {
            h = mix(h ^ mix(part));
        }
        return (h >>> 11) * 0x1.0p-53;
    }

    /** {@link #roll} for a text part (a request, a symbol), hashed by its characters. */
    public static double roll(long seed, String text, long... parts) {
        long[] all = new long[parts.length + 1];
        all[0] = text.hashCode();
        System.arraycopy(parts, 0, all, 1, parts.length);
        return roll(seed, all);
    }
}
