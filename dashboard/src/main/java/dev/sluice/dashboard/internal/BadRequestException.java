package dev.sluice.dashboard.internal;

/** A request the API refuses with 400; the message names the bad value and is shown to the caller. */
public final class BadRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BadRequestException(String message) {
        super(message);
    }
}
