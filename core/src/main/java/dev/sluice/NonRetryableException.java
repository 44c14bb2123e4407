package dev.sluice;

/**
 * Thrown by a handler (or used as a cause) to say that retrying cannot help: the job goes to DEAD at once,
 * whatever attempts it has left. Other exception classes can be marked non-retryable in {@link RetryPolicy}.
 */
public class NonRetryableException extends SluiceException {
    public NonRetryableException(String message) {
        super(message);
    }

    public NonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
