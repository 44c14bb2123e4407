package dev.sluice.store;

import java.util.List;

/**
 * Implemented by stores that can store jobs inside a transaction the caller owns (for example a
 * {@code java.sql.Connection} with auto-commit off): the jobs exist if and only if that transaction commits.
 * The store never commits, rolls back or closes the caller's transaction.
 *
 * @param <T> the caller's transaction handle
 */
public interface TransactionalEnqueue<T> {

    /** The class of transaction handle this store accepts. */
    Class<T> transactionType();

    /**
     * Stores jobs like {@link JobStore#enqueue} but inside the caller's transaction.
     *
     * @throws IllegalArgumentException when the transaction cannot take part (for example auto-commit is on)
     */
    List<EnqueueResult> enqueue(T transaction, List<NewJob> jobs);
}
