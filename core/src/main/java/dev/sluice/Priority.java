package dev.sluice;

/**
 * How urgent a job is: {@code CRITICAL > HIGH > NORMAL > LOW}.
 *
 * <p><b>Ordering rule with aging.</b> A ready job is ranked by its <em>sort key</em>
 * {@code readyAt - weight × agingStep}, smallest first, where {@code weight} is 3 for CRITICAL, 2 for HIGH,
 * 1 for NORMAL and 0 for LOW, and {@code agingStep} is the store's aging step (60 s unless configured).
 * So a job of a higher priority always goes first among jobs that became ready at about the same time, but a
 * job never waits behind a job of higher priority that became ready more than
 * {@code (weight difference) × agingStep} after it. Under a constant flood of CRITICAL jobs a LOW job
 * therefore starts once the CRITICAL jobs that became ready before {@code its readyAt + 3 × agingStep} have
 * started: no level starves. Ties are broken by job id (submission order).
 */
public enum Priority {
    LOW(0),
    NORMAL(1),
    HIGH(2),
    CRITICAL(3);

    private final int weight;

    Priority(int weight) {
        this.weight = weight;
    }

    /** 0 for LOW up to 3 for CRITICAL. */
    public int weight() {
        return weight;
    }

    /**
     * The sort key a store orders ready jobs by (smaller runs first); see the class comment.
     *
     * @param readyAtMillis  when the job became ready, in epoch milliseconds
     * @param agingStepMillis the store's aging step in milliseconds
     */
    public long sortKey(long readyAtMillis, long agingStepMillis) {
        return readyAtMillis - weight * agingStepMillis;
    }

    /** The priority with the given weight (0..3). */
    public static Priority ofWeight(int weight) {
        switch (weight) {
            case 0: return LOW;
            case 1: return NORMAL;
            case 2: return HIGH;
            case 3: return CRITICAL;
            default: throw new IllegalArgumentException("priority weight must be 0..3 but was " + weight);
        }
    }
}
