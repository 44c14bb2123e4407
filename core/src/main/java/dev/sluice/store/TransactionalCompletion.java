package dev.sluice.store;

import java.util.List;

/**
 * Implemented by stores that can record the end of an attempt inside a transaction the caller owns, so that a
 * handler's own writes and its job's completion commit or roll back together (effectively-once side effects).
 * The store never commits, rolls back or closes the caller's transaction.
 *
 * @param <T> the caller's transaction handle
 */
public interface TransactionalCompletion<T> {

    /** The class of transaction handle this store accepts. */
    Class<T> transactionType();

    /**
     * Records completions like {@link JobStore#completeAll}, fenced the same way, but inside the caller's
     * transaction: they take effect when it commits and vanish when it rolls back.
     *
     * @throws IllegalArgumentException when the transaction cannot take part (for example auto-commit is on)
     */
    List<WriteResult> completeAll(T transaction, List<Completion> completions);
}
