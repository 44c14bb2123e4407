package dev.sluice;

/** Root of the exceptions Sluice throws for its own conditions (bad arguments throw IllegalArgumentException). */
public class SluiceException extends RuntimeException {
    public SluiceException(String message) {
        super(message);
    }

    public SluiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
