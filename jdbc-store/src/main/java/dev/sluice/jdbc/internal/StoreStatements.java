package dev.sluice.jdbc.internal;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.Priority;
import dev.sluice.store.CancelResult;
import dev.sluice.store.ClaimBatch;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.Completion;
import dev.sluice.store.Dependency;
import dev.sluice.store.EnqueueResult;
import dev.sluice.store.HistoryEntry;
import dev.sluice.store.LeaderLease;
import dev.sluice.store.LeaseRef;
import dev.sluice.store.LeaseStatus;
import dev.sluice.store.NewJob;
import dev.sluice.store.NodeInfo;
import dev.sluice.store.ProgressUpdate;
import dev.sluice.store.PurgeRequest;
import dev.sluice.store.RecoveredJob;
import dev.sluice.store.ResultCacheStore.CachedResult;
import dev.sluice.store.SharedRateLimits.PermitGrant;
import dev.sluice.store.StoreStats;
import dev.sluice.store.StoredJob;
import dev.sluice.store.WriteResult;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** The statements of one store, grouped by concern; what {@code JdbcJobStore} delegates to. Thread-safe. */
public final class StoreStatements {

    private final StoreContext context;
    private final EnqueueStatements enqueue;
    private final ClaimStatements claim;
    private final LeaseStatements leases;
    private final ControlStatements control;
    private final QueryStatements queries;
    private final GraphStatements graph;
    private final MaintenanceStatements maintenance;
    private final ScheduleStatements schedules;
    private final LeaderStatements leaders;
    private final NodeStatements nodes;
    private final HistoryStatements history;
    private final ResultCacheStatements resultCache;
    private final RateLimitStatements rateLimits;
    private final String dueWorkSql;

    public StoreStatements(StoreContext context) {
        this.context = context;
        DependencyRelease release = new DependencyRelease(context);
        UniqueKeyStatements uniqueKeys = new UniqueKeyStatements(context);
        this.graph = new GraphStatements(context);
        this.enqueue = new EnqueueStatements(context, graph, uniqueKeys);
        this.claim = new ClaimStatements(context, uniqueKeys);
        this.leases = new LeaseStatements(context, release, uniqueKeys);
        this.control = new ControlStatements(context, release, uniqueKeys);
        this.queries = new QueryStatements(context);
        this.maintenance = new MaintenanceStatements(context, release, uniqueKeys);
        this.schedules = new ScheduleStatements(context, enqueue);
        this.leaders = new LeaderStatements(context);
        this.nodes = new NodeStatements(context);
        this.history = new HistoryStatements(context);
        this.resultCache = new ResultCacheStatements(context);
        this.rateLimits = new RateLimitStatements(context);
        this.dueWorkSql = "SELECT 1 FROM " + context.tables.job() + " WHERE state IN (1, 2) AND due_at <= "
                + context.nowExpression() + " LIMIT 1";
    }

    public List<EnqueueResult> enqueue(List<NewJob> jobs) {
        return enqueue.enqueue(jobs);
    }

    public List<EnqueueResult> enqueueOn(Connection connection, List<NewJob> jobs) throws SQLException {
        return enqueue.enqueueOn(connection, jobs);
    }

    public ClaimBatch claim(ClaimRequest request) {
        return claim.claim(request);
    }

    public List<WriteResult> completeAll(List<Completion> completions) {
        return leases.completeAll(completions);
    }

    public List<WriteResult> completeOn(Connection connection, List<Completion> completions) throws SQLException {
        return leases.completeOn(connection, completions);
    }

    public List<LeaseStatus> renewLeases(List<LeaseRef> refs, long leaseMillis) {
        return leases.renewLeases(refs, leaseMillis);
    }

    public List<RecoveredJob> recoverExpired(int max) {
        return leases.recoverExpired(max);
    }

    public List<WriteResult> saveProgress(List<ProgressUpdate> updates) {
        return leases.saveProgress(updates);
    }

    public CancelResult cancel(JobId id) {
        return control.cancel(id);
    }

    public void pauseQueue(String queue) {
        control.pauseQueue(queue);
    }

    public void resumeQueue(String queue) {
        control.resumeQueue(queue);
    }

    public Set<String> pausedQueues() {
        return control.pausedQueues();
    }

    public boolean reprioritize(JobId id, Priority priority) {
        return control.reprioritize(id, priority);
    }

    public boolean retry(JobId id) {
        return control.retry(id);
    }

    public Optional<StoredJob> find(JobId id) {
        return queries.find(id);
    }

    public List<StoredJob> findAll(Collection<JobId> ids) {
        return queries.findAll(ids);
    }

    public List<StoredJob> list(JobQuery query) {
        return queries.list(query);
    }

    public StoreStats stats() {
        return queries.stats();
    }

    public List<Dependency> parentsOf(JobId child) {
        return graph.parentsOf(Objects.requireNonNull(child, "child"));
    }

    public List<JobId> childrenOf(JobId parent) {
        return graph.childrenOf(Objects.requireNonNull(parent, "parent"));
    }

    public int cancelWaiting(String queue, int max) {
        return maintenance.cancelWaiting(queue, max);
    }

    public int purge(PurgeRequest request) {
        return maintenance.purge(request);
    }

    public Optional<EnqueueResult> enqueueFire(String scheduleId, long fireTimeMillis, NewJob job) {
        return schedules.enqueueFire(scheduleId, fireTimeMillis, job);
    }

    public OptionalLong lastFire(String scheduleId) {
        return schedules.lastFire(scheduleId);
    }

    public Optional<LeaderLease> tryLead(String role, String nodeId, long leaseMillis) {
        return leaders.tryLead(role, nodeId, leaseMillis);
    }

    public void resign(String role, String nodeId) {
        leaders.resign(role, nodeId);
    }

    public Optional<LeaderLease> leader(String role) {
        return leaders.leader(role);
    }

    public void heartbeat(NodeInfo node, long ttlMillis) {
        nodes.heartbeat(node, ttlMillis);
    }

    public List<NodeInfo> nodes() {
        return nodes.nodes();
    }

    public void removeNode(String nodeId) {
        nodes.removeNode(nodeId);
    }

    public void appendHistory(List<HistoryEntry> entries) {
        history.appendHistory(entries);
    }

    public List<HistoryEntry> history(JobId id) {
        return history.history(id);
    }

    public Optional<CachedResult> findCachedResult(String type, String key) {
        return resultCache.find(type, key);
    }

    public void saveCachedResult(String type, String key, byte[] result, long ttlMillis) {
        resultCache.save(type, key, result, ttlMillis);
    }

    public PermitGrant takePermits(String name, int wanted, int limit, long periodMillis) {
        return rateLimits.take(name, wanted, limit, periodMillis);
    }

    /** Whether any job is due now (the wake-up poll's question); one indexed probe. */
    public boolean hasDueWork() {
        return context.inTransaction("due-work probe", c -> {
            try (PreparedStatement statement = c.prepareStatement(dueWorkSql)) {
                context.bindNow(statement, 1);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }
}
