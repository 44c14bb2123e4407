package dev.sluice.jdbc;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.Priority;
import dev.sluice.SluiceException;
import dev.sluice.jdbc.internal.Dialect;
import dev.sluice.jdbc.internal.PostgresListener;
import dev.sluice.jdbc.internal.SchemaInstaller;
import dev.sluice.jdbc.internal.StoreContext;
import dev.sluice.jdbc.internal.StoreStatements;
import dev.sluice.jdbc.internal.Tables;
import dev.sluice.jdbc.internal.WakeUps;
import dev.sluice.store.CancelResult;
import dev.sluice.store.ClaimBatch;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.Completion;
import dev.sluice.store.Dependency;
import dev.sluice.store.EnqueueResult;
import dev.sluice.store.HistoryEntry;
import dev.sluice.store.LeaderLease;
import dev.sluice.store.JobStore;
import dev.sluice.store.LeaseRef;
import dev.sluice.store.LeaseStatus;
import dev.sluice.store.NewJob;
import dev.sluice.store.NodeInfo;
import dev.sluice.store.ProgressUpdate;
import dev.sluice.store.PurgeRequest;
import dev.sluice.store.RecoveredJob;
import dev.sluice.store.ResultCacheStore;
import dev.sluice.store.SharedRateLimits;
import dev.sluice.store.StoreStats;
import dev.sluice.store.StoredJob;
import dev.sluice.store.TransactionalCompletion;
import dev.sluice.store.TransactionalEnqueue;
import dev.sluice.store.WriteResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@link JobStore} on a relational database reached through the user's {@link DataSource}: PostgreSQL (the
 * tuned dialect), MariaDB / MySQL 8 and H2. Several JVMs on one database form one cluster. Made by
 * {@link #builder(DataSource)}.
 *
 * <p><b>Thread-safety.</b> Every method may be called from many threads and many processes at once; each call is
 * one transaction on a connection borrowed from the pool for that call only. The store never keeps a pooled
 * connection, except one for PostgreSQL's LISTEN while someone is {@linkplain #subscribe subscribed}.
 *
 * <p><b>Time.</b> Without a {@linkplain Builder#clock clock}, "now" is the database's clock, so run-at times,
 * lease expiry and aging are judged alike by every node whatever their own clocks say.
 *
 * <p><b>Choices the SPI leaves open</b> (the same as the in-memory store's): a cancel requested while a job runs
 * wins over a later RETRY or RELEASED completion and over lease recovery; {@link #retry} returns false when
 * another live job holds the job's unique key. Finished jobs stay in the tables until {@link #purge purged} (the
 * store has no retention of its own) and there is no capacity limit, so
 * {@link dev.sluice.StoreCapacityExceededException} is never thrown. Database errors surface as
 * {@link SluiceException} naming the operation.
 *
 * <p><b>Dependencies.</b> Dependents are settled in the transaction that ends their parents, children locked in id
 * order and counted down in one set-based step per cascade level; see the module README for the statements.
 *
 * <p><b>Shared capabilities.</b> The store is also the cluster's {@link ResultCacheStore} (expiry on the store's
 * clock; expired rows deleted in bounded batches by the saves themselves, no purge or leader needed) and its
 * {@link SharedRateLimits} (one atomic statement on PostgreSQL, a row lock elsewhere: a window never grants more
 * than its limit across nodes).
 */
public final class JdbcJobStore implements JobStore, TransactionalEnqueue<Connection>,
        TransactionalCompletion<Connection>, ResultCacheStore, SharedRateLimits {

    private static final Pattern IDENTIFIER = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");

    private final DataSource dataSource;
    private final JdbcDialect dialect;
    private final Tables tables;
    private final StoreStatements statements;
    private final WakeUps wakeUps;

    private JdbcJobStore(Builder builder, JdbcDialect dialect) {
        Dialect implementation = dialect.implementation();
        this.dataSource = builder.dataSource;
        this.dialect = dialect;
        this.tables = new Tables(implementation, builder.schema, builder.tablePrefix);
        this.wakeUps = new WakeUps(builder.pollInterval.toMillis(),
                (builder.schema == null ? "" : builder.schema + ".") + builder.tablePrefix);
        StoreContext context = new StoreContext(dataSource, implementation, tables, builder.clock,
                builder.agingStep.toMillis(), wakeUps);
        if (builder.createSchema) {
            SchemaInstaller.install(dataSource, implementation, tables);
        }
        this.statements = new StoreStatements(context);
        wakeUps.dueWorkProbe(statements::hasDueWork);
        if (dialect == JdbcDialect.POSTGRESQL) {
            // short waits, so that close() ends the LISTEN thread quickly whatever the poll interval
            int waitMillis = (int) Math.min(1_000, Math.max(50, builder.pollInterval.toMillis()));
            String channel = tables.channel();
            String name = tables.prefix();
            wakeUps.listenerFactory(onNotification -> PostgresListener.start(dataSource, channel, onNotification,
                    waitMillis, name));
        }
    }

    /** A builder over the user's pool; the store never closes it. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** The dialect in use (given or detected). */
    public JdbcDialect dialect() {
        return dialect;
    }

    @Override
    public List<EnqueueResult> enqueue(List<NewJob> jobs) {
        return statements.enqueue(jobs);
    }

    /** The JDBC store takes part in a caller's {@link Connection} transaction. */
    @Override
    public Class<Connection> transactionType() {
        return Connection.class;
    }

    /**
     * Stores jobs inside the caller's transaction: they exist if and only if that transaction commits. The
     * store never commits, rolls back or closes the connection. Unique keys are checked as in
     * {@link #enqueue(List)}; on MariaDB/MySQL and H2 a key taken by a concurrent, not yet committed enqueue makes
     * this call throw (the caller's transaction should then be rolled back and tried again).
     *
     * @param callerConnection a connection of the store's database with autoCommit off, in the store's schema
     * @throws IllegalArgumentException when the connection is in autoCommit mode
     * @throws SluiceException          when the database fails; the caller's transaction is then unusable on
     *                                  PostgreSQL and should be rolled back
     */
    @Override
    public List<EnqueueResult> enqueue(Connection callerConnection, List<NewJob> jobs) {
        return onCallerConnection("enqueue of " + jobs.size() + " jobs", callerConnection,
                c -> statements.enqueueOn(c, jobs));
    }

    @Override
    public ClaimBatch claim(ClaimRequest request) {
        return statements.claim(request);
    }

    @Override
    public List<WriteResult> completeAll(List<Completion> completions) {
        return statements.completeAll(completions);
    }

    /**
     * Records completions on the caller's connection, inside the caller's transaction (auto-commit off): they
     * take effect if and only if it commits. Fenced like {@link #completeAll(List)}; dependents are released in
     * the same transaction. Never commits, rolls back or closes the connection. Handlers reach it through
     * {@code JobContext.succeedIn(connection, result)}.
     */
    @Override
    public List<WriteResult> completeAll(Connection callerConnection, List<Completion> completions) {
        return onCallerConnection("completion of " + completions.size() + " jobs", callerConnection,
                c -> statements.completeOn(c, completions));
    }

    /** A call on the caller's connection; a database error becomes a SluiceException naming the call. */
    private <T> T onCallerConnection(String what, Connection callerConnection, CallerCall<T> call) {
        Objects.requireNonNull(callerConnection, "callerConnection");
        try {
            return call.on(callerConnection);
        } catch (SQLException e) {
            throw new SluiceException("transactional " + what + " failed on " + dialect + " (tables "
                    + tables.job() + "): " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface CallerCall<T> {
        T on(Connection connection) throws SQLException;
    }

    @Override
    public List<LeaseStatus> renewLeases(List<LeaseRef> leases, long leaseMillis) {
        return statements.renewLeases(leases, leaseMillis);
    }

    @Override
    public List<RecoveredJob> recoverExpired(int max) {
        return statements.recoverExpired(max);
    }

    @Override
    public List<WriteResult> saveProgress(List<ProgressUpdate> updates) {
        return statements.saveProgress(updates);
    }

    @Override
    public CancelResult cancel(JobId id) {
        return statements.cancel(id);
    }

    @Override
    public void pauseQueue(String queue) {
        statements.pauseQueue(queue);
    }

    @Override
    public void resumeQueue(String queue) {
        statements.resumeQueue(queue);
    }

    @Override
    public Set<String> pausedQueues() {
        return statements.pausedQueues();
    }

    @Override
    public boolean reprioritize(JobId id, Priority priority) {
        return statements.reprioritize(id, priority);
    }

    @Override
    public boolean retry(JobId id) {
        return statements.retry(id);
    }

    @Override
    public Optional<StoredJob> find(JobId id) {
        return statements.find(id);
    }

    @Override
    public List<StoredJob> findAll(Collection<JobId> ids) {
        return statements.findAll(ids);
    }

    @Override
    public List<StoredJob> list(JobQuery query) {
        return statements.list(query);
    }

    // ---------------------------------------------------------------- dependency graphs

    @Override
    public List<Dependency> parentsOf(JobId child) {
        return statements.parentsOf(child);
    }

    @Override
    public List<JobId> childrenOf(JobId parent) {
        return statements.childrenOf(parent);
    }

    // ---------------------------------------------------------------- operations

    @Override
    public int cancelWaiting(String queue, int max) {
        return statements.cancelWaiting(queue, max);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Picking the jobs scans the finished jobs of the requested states (no index serves "finished before",
     * so that completions write no extra index entry); keep {@code limit} in the thousands on large tables.
     */
    @Override
    public int purge(PurgeRequest request) {
        return statements.purge(request);
    }

    @Override
    public Optional<EnqueueResult> enqueueFire(String scheduleId, long fireTimeMillis, NewJob job) {
        return statements.enqueueFire(scheduleId, fireTimeMillis, job);
    }

    @Override
    public OptionalLong lastFire(String scheduleId) {
        return statements.lastFire(scheduleId);
    }

    @Override
    public Optional<LeaderLease> tryLead(String role, String nodeId, long leaseMillis) {
        return statements.tryLead(role, nodeId, leaseMillis);
    }

    @Override
    public void resign(String role, String nodeId) {
        statements.resign(role, nodeId);
    }

    @Override
    public Optional<LeaderLease> leader(String role) {
        return statements.leader(role);
    }

    @Override
    public void heartbeat(NodeInfo node, long ttlMillis) {
        statements.heartbeat(node, ttlMillis);
    }

    @Override
    public List<NodeInfo> nodes() {
        return statements.nodes();
    }

    @Override
    public void removeNode(String nodeId) {
        statements.removeNode(nodeId);
    }

    @Override
    public void appendHistory(List<HistoryEntry> entries) {
        statements.appendHistory(entries);
    }

    @Override
    public List<HistoryEntry> history(JobId id) {
        return statements.history(id);
    }

    // ---------------------------------------------------------------- optional capabilities

    /** {@inheritDoc} One SELECT by (type, SHA-256 of the key); rows past their expiry are never served. */
    @Override
    public Optional<CachedResult> findCachedResult(String type, String key) {
        return statements.findCachedResult(type, key);
    }

    /**
     * {@inheritDoc} One upsert; every 100th save of this store object also deletes up to 500 expired rows.
     *
     * @throws IllegalArgumentException naming the value when {@code ttlMillis} is not in 1 ms to 100 years or the
     *                                  type is longer than 128 characters
     */
    @Override
    public void saveCachedResult(String type, String key, byte[] result, long ttlMillis) {
        statements.saveCachedResult(type, key, result, ttlMillis);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the values when {@code wanted} or {@code limit} is below 1,
     *                                  {@code periodMillis} is not in 1 ms to 100 years, or the name is longer
     *                                  than 255 characters
     */
    @Override
    public PermitGrant takePermits(String name, int wanted, int limit, long periodMillis) {
        return statements.takePermits(name, wanted, limit, periodMillis);
    }

    /** {@inheritDoc} Costs one scan of the job table: callers cache it. */
    @Override
    public StoreStats stats() {
        return statements.stats();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The callback runs on the thread of a change made through this store, on the poll thread when the poll
     * (every {@code pollInterval}) finds due work, and on PostgreSQL on the LISTEN thread when another node
     * enqueues or frees work. All are hints; it must be quick and must not throw.
     */
    @Override
    public AutoCloseable subscribe(Runnable onWork) {
        return wakeUps.subscribe(onWork);
    }

    /** Stops the poll and the LISTEN connection. The DataSource is the user's and stays open. Idempotent. */
    @Override
    public void close() {
        wakeUps.close();
    }

    @Override
    public String toString() {
        return "JdbcJobStore{" + dialect + ", " + tables.job() + '}';
    }

    /**
     * Settings of a {@link JdbcJobStore}. Not thread-safe; {@link #build()} validates and may be called more than
     * once.
     */
    public static final class Builder {
        private final DataSource dataSource;
        private JdbcDialect dialect;
        private String tablePrefix = "sluice_";
        private String schema;
        private Clock clock;
        private Duration agingStep = Duration.ofSeconds(60);
        private boolean createSchema;
        private Duration pollInterval = Duration.ofSeconds(1);

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /** The database's dialect. Default: detected from the connection's metadata when built. */
        public Builder dialect(JdbcDialect dialect) {
            this.dialect = dialect;
            return this;
        }

        /** Prefix of the table names; {@code ^[a-z_][a-z0-9_]{0,62}$}. Default "sluice_". */
        public Builder tablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
            return this;
        }

        /**
         * Schema of the tables (the database on MariaDB/MySQL); {@code ^[a-z_][a-z0-9_]{0,62}$}, or null for the
         * connection's current schema. Default null.
         */
        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        /**
         * The clock "now" is read from. Default null: the database's clock, so that every node judges run-at times
         * and leases alike. Set it in tests that move time by hand.
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The aging step of priorities (see {@link Priority}). Default 60 s; 1 ms to 365 days. */
        public Builder agingStep(Duration agingStep) {
            this.agingStep = agingStep;
            return this;
        }

        /**
         * Whether {@link #build()} creates the tables (and the schema) when missing, from the same scripts that
         * Flyway or Liquibase users run. Default false.
         */
        public Builder createSchema(boolean createSchema) {
            this.createSchema = createSchema;
            return this;
        }

        /**
         * How often subscribers are woken when due work exists and no notification said so (delayed jobs that
         * became due; other nodes on databases without notifications). Default 1 s; 10 ms to 1 hour.
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the field and the value when a setting is invalid
         * @throws SluiceException          when the database cannot be reached to detect the dialect or create
         *                                  the schema
         */
        public JdbcJobStore build() {
            if (dataSource == null) {
                throw new IllegalArgumentException("dataSource must not be null");
            }
            requireIdentifier("tablePrefix", tablePrefix);
            if (schema != null) {
                requireIdentifier("schema", schema);
            }
            if (tablePrefix.length() > 40) {
                throw new IllegalArgumentException("tablePrefix must be at most 40 characters (table names add up "
                        + "to 22 more) but was '" + tablePrefix + "'");
            }
            if (agingStep == null || agingStep.compareTo(Duration.ofMillis(1)) < 0
                    || agingStep.compareTo(Duration.ofDays(365)) > 0) {
                throw new IllegalArgumentException("agingStep must be between 1 ms and 365 days but was " + agingStep);
            }
            if (pollInterval == null || pollInterval.compareTo(Duration.ofMillis(10)) < 0
                    || pollInterval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("pollInterval must be between 10 ms and 1 hour but was "
                        + pollInterval);
            }
            JdbcDialect chosen = dialect;
            if (chosen == null) {
                try (Connection connection = dataSource.getConnection()) {
                    chosen = JdbcDialect.detect(connection.getMetaData());
                } catch (SQLException e) {
                    throw new SluiceException("cannot detect the database dialect: " + e.getMessage(), e);
                }
            }
            return new JdbcJobStore(this, chosen);
        }

        private static void requireIdentifier(String field, String value) {
            if (value == null || !IDENTIFIER.matcher(value).matches()) {
                throw new IllegalArgumentException(field + " must match ^[a-z_][a-z0-9_]{0,62}$ but was "
                        + (value == null ? "null" : "'" + value + "'"));
            }
        }
    }
}
