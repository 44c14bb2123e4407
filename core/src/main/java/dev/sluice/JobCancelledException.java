package dev.sluice;

/** Thrown by {@link JobContext#throwIfStopped()} when the job was cancelled or its lease was lost. */
public final class JobCancelledException extends SluiceException {
    public JobCancelledException(String message) {
        super(message);
    }
}
