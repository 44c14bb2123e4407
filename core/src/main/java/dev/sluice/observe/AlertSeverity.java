package dev.sluice.observe;

/** How urgent an {@link Alert} is, most urgent first. */
public enum AlertSeverity {
    /** Jobs cannot run at all (store unreachable): act now. */
    CRITICAL,
    /** Jobs run but fail or pile up badly: act soon. */
    HIGH,
    /** A trend that turns HIGH if left alone. */
    MODERATE,
    /** Worth a look at the next review. */
    LOW,
    /** No problem: advice, such as a scaling recommendation. */
    INFO
}
