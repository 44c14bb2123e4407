package dev.sluice;

/** The error recorded for an attempt that ran past its timeout (its handler was interrupted). */
public final class JobTimeoutException extends SluiceException {
    public JobTimeoutException(String message) {
        super(message);
    }
}
