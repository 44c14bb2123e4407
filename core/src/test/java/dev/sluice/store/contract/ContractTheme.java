package dev.sluice.store.contract;

import dev.sluice.store.JobStore;

import java.time.Clock;
import java.time.Duration;

/** A group of contract tests, run as a nested class of {@link JobStoreContract} that supplies the stores. */
abstract class ContractTheme extends StoreContractSupport {

    /** The enclosing contract instance: the concrete store test. */
    abstract JobStoreContract contract();

    @Override
    protected final JobStore newStore(Clock clock, Duration agingStep) {
        return contract().newStore(clock, agingStep);
    }

    @Override
    protected final void closeStore(JobStore store) throws Exception {
        contract().closeStore(store);
    }
}
