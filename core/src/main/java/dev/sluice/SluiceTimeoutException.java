package dev.sluice;

/** Thrown by {@link Sluice#await} when the job did not finish within the given time. */
public final class SluiceTimeoutException extends SluiceException {
    public SluiceTimeoutException(String message) {
        super(message);
    }
}
