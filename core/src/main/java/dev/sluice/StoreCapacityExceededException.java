package dev.sluice;

/** Thrown by a submit that would take a store past its capacity; nothing of that submit was stored. */
public final class StoreCapacityExceededException extends SluiceException {
    public StoreCapacityExceededException(String message) {
        super(message);
    }
}
