package dev.sluice.store.contract;

import dev.sluice.store.JobStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

import java.time.Clock;
import java.time.Duration;

/**
 * The behaviour every {@link JobStore} must show; a store's test class extends this and says how to make a
 * fresh store. Each test opens its own store on a {@link MutableClock} that starts at 2030-01-01T00:00:00Z and
 * moves only when the test moves it, so the store must read "now" from the clock it is given.
 *
 * <pre>{@code
 * class InMemoryJobStoreTest extends JobStoreContract {
 *     protected JobStore newStore(Clock clock, Duration agingStep) {
 *         return InMemoryJobStore.builder().clock(clock).agingStep(agingStep).build();
 *     }
 * }
 * }</pre>
 *
 * The tests are grouped by theme in nested classes (the abstract classes beside this one). Together they take
 * about two seconds against the in-memory store and stay small (at most a few thousand jobs) so that they also
 * run quickly against real servers. The kit needs JUnit 5, AssertJ and Awaitility on the test classpath.
 */
public abstract class JobStoreContract {

    /**
     * A fresh, empty store that reads time from {@code clock} and ages priorities by {@code agingStep}. A store
     * over a shared server isolates each one (a fresh schema, a fresh key prefix).
     */
    protected abstract JobStore newStore(Clock clock, Duration agingStep);

    /** Releases a store made by {@link #newStore} after its test. Default: {@link JobStore#close()}. */
    protected void closeStore(JobStore store) throws Exception {
        store.close();
    }

    /**
     * Whether {@link JobStore#subscribe} calls back on new work. A store that cannot tell (and returns a no-op
     * subscription, so that dispatchers poll) overrides this to return false, and the wake-up tests are skipped.
     */
    protected boolean supportsWakeUps() {
        return true;
    }

    @Nested
    @DisplayName("claim order")
    class Ordering extends OrderingContract {
        @Override
        JobStoreContract contract() {
            return JobStoreContract.this;
        }
    }

    @Nested
    @DisplayName("enqueue and unique keys")
    class Enqueueing extends EnqueueContract {
        @Override
        JobStoreContract contract() {
            return JobStoreContract.this;
        }
    }

    @Nested
    @DisplayName("claim bounds, tenants, paused queues, exclusivity")
    class Claiming extends ClaimContract {
        @Override
        JobStoreContract contract() {
            return JobStoreContract.this;
        }
    }

    @Nested
    @DisplayName("leases, fencing, completions, recovery")
    class Leasing extends LeaseContract {
        @Override
        JobStoreContract contract() {
            return JobStoreContract.this;
        }
    }

    @Nested
    @DisplayName("cancel, reprioritize, retry")
    class Controlling extends ControlContract {
        @Override
        JobStoreContract contract() {
            return JobStoreContract.this;
        }
    }

    @Nested
    @DisplayName("queries, stats, wake-ups")
    class Querying extends QueryContract {
        @Override
        JobStoreContract contract() {
            return JobStoreContract.this;
        }
    }

    @Nested
    @DisplayName("dependency graphs")
    class Graphs extends GraphContract {
        @Override
        JobStoreContract contract() {
            return JobStoreContract.this;
        }
    }

    @Nested
    @DisplayName("operations: drain, purge, recurring fires, leader leases, nodes, history")
    class Operations extends OperationsContract {
        @Override
        JobStoreContract contract() {
            return JobStoreContract.this;
        }
    }

    @Nested
    @DisplayName("admin API and recurring fires on engines over the store")
    class Admin extends AdminContract {
        @Override
        JobStoreContract contract() {
            return JobStoreContract.this;
        }
    }

    @Nested
    @DisplayName("optional capabilities: shared result cache, shared rate limits")
    class Capabilities extends CapabilitiesContract {
        @Override
        JobStoreContract contract() {
            return JobStoreContract.this;
        }
    }

    @Nested
    @DisplayName("unique-key scopes")
    class UniqueScopes extends UniqueScopeContract {
        @Override
        JobStoreContract contract() {
            return JobStoreContract.this;
        }
    }
}
