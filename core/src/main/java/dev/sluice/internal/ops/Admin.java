package dev.sluice.internal.ops;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.internal.engine.JobEngine;
import dev.sluice.ops.ClusterView;
import dev.sluice.ops.JobActionResult;
import dev.sluice.ops.JobDetail;
import dev.sluice.ops.JobPage;
import dev.sluice.ops.JobSummary;
import dev.sluice.ops.PurgeReport;
import dev.sluice.ops.RecurringJob;
import dev.sluice.ops.RecurringView;
import dev.sluice.ops.RetentionPolicy;
import dev.sluice.ops.SluiceAdmin;
import dev.sluice.store.CancelResult;
import dev.sluice.store.Dependency;
import dev.sluice.store.HistoryEntry;
import dev.sluice.store.JobStore;
import dev.sluice.store.LeaderLease;
import dev.sluice.store.NodeInfo;
import dev.sluice.store.QueueStats;
import dev.sluice.store.StoreStats;
import dev.sluice.store.StoredJob;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;

/** {@link SluiceAdmin} over the engine and the store. */
final class Admin implements SluiceAdmin {

    private final JobEngine engine;
    private final Operations ops;
    private final JobStore store;

    Admin(JobEngine engine, Operations ops) {
        this.engine = engine;
        this.ops = ops;
        this.store = ops.store();
    }

    @Override
    public JobPage jobs(JobQuery query) {
        Objects.requireNonNull(query, "query");
        List<StoredJob> found = store.list(query);
        List<JobSummary> jobs = new ArrayList<>(found.size());
        for (StoredJob job : found) {
            jobs.add(Views.summary(job));
        }
        String next = found.size() == query.limit() ? found.get(found.size() - 1).id().toString() : null;
        return new JobPage(jobs, next);
    }

    @Override
    public Optional<JobDetail> job(JobId id) {
        Objects.requireNonNull(id, "id");
        Optional<StoredJob> found = store.find(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredJob job = found.get();
        List<JobDetail.StateChange> history = new ArrayList<>();
        for (HistoryEntry entry : store.history(id)) {
            history.add(Views.change(entry));
        }
        // Nodes append in batches: entries of different nodes may be stored out of time order.
        history.sort(Comparator.comparing(JobDetail.StateChange::at).thenComparing(c -> c.from() != null));
        List<Dependency> edges = store.parentsOf(id);
        List<JobDetail.Parent> parents = new ArrayList<>(edges.size());
        if (!edges.isEmpty()) {
            List<JobId> parentIds = new ArrayList<>(edges.size());
            for (Dependency edge : edges) {
                parentIds.add(edge.parent());
            }
            Map<JobId, JobState> states = statesOf(parentIds);
            for (Dependency edge : edges) {
                parents.add(new JobDetail.Parent(edge.parent().toString(), edge.onFailure(),
                        states.get(edge.parent())));
            }
        }
        List<String> children = new ArrayList<>();
        for (JobId child : store.childrenOf(id)) {
            children.add(child.toString());
        }
        return Optional.of(new JobDetail(Views.summary(job), job.payload() == null ? 0 : job.payload().length,
                job.cancelRequested(), job.leaseExpiresAt(), job.fencingToken(), history, parents, children));
    }

    @Override
    public List<JobActionResult> retry(Collection<JobId> ids) {
        return each(ids, id -> engine.retry(id) ? JobActionResult.Outcome.DONE : null);
    }

    @Override
    public List<JobActionResult> cancel(Collection<JobId> ids) {
        return each(ids, id -> {
            CancelResult result = engine.cancelJob(id);
            switch (result) {
                case CANCELLED:
                    return JobActionResult.Outcome.DONE;
                case CANCEL_REQUESTED:
                    return JobActionResult.Outcome.REQUESTED;
                default:
                    return null;
            }
        });
    }

    @Override
    public List<JobActionResult> reprioritize(Collection<JobId> ids, Priority priority) {
        Objects.requireNonNull(priority, "priority");
        return each(ids, id -> engine.reprioritize(id, priority) ? JobActionResult.Outcome.DONE : null);
    }

    /**
     * Applies an action to each id; {@code action} answers null when the store refused, and the job's state then
     * tells REFUSED from NOT_FOUND. The states after the action are read in one call.
     */
    private List<JobActionResult> each(Collection<JobId> ids, Function<JobId, JobActionResult.Outcome> action) {
        List<JobId> list = checkIds(ids);
        List<JobActionResult.Outcome> outcomes = new ArrayList<>(list.size());
        for (JobId id : list) {
            outcomes.add(action.apply(id));
        }
        Map<JobId, JobState> states = statesOf(list);
        List<JobActionResult> results = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JobId id = list.get(i);
            JobState state = states.get(id);
            JobActionResult.Outcome outcome = outcomes.get(i);
            if (outcome == null) {
                outcome = state == null ? JobActionResult.Outcome.NOT_FOUND : JobActionResult.Outcome.REFUSED;
            }
            results.add(new JobActionResult(id.toString(), outcome, state));
        }
        return results;
    }

    private static List<JobId> checkIds(Collection<JobId> ids) {
        Objects.requireNonNull(ids, "ids");
        if (ids.size() > MAX_IDS) {
            throw new IllegalArgumentException("at most " + MAX_IDS + " ids per call but got " + ids.size());
        }
        List<JobId> list = new ArrayList<>(ids.size());
        int i = 0;
        for (JobId id : ids) {
            if (id == null) {
                throw new IllegalArgumentException("id " + i + " of " + ids.size() + " is null");
            }
            list.add(id);
            i++;
        }
        return list;
    }

    private Map<JobId, JobState> statesOf(List<JobId> ids) {
        Map<JobId, JobState> states = new HashMap<>();
        for (StoredJob job : store.findAll(ids)) {
            states.put(job.id(), job.state());
        }
        return states;
    }

    @Override
    public void pauseQueue(String queue) {
        engine.pauseQueue(checkQueue(queue));
    }

    @Override
    public void resumeQueue(String queue) {
        engine.resumeQueue(checkQueue(queue));
    }

    @Override
    public int drainQueue(String queue) {
        checkQueue(queue);
        int batch = ops.config().drainBatchSize();
        int total = 0;
        int cancelled;
        do {
            cancelled = store.cancelWaiting(queue, batch);
            total += cancelled;
        } while (cancelled == batch);
        return total;
    }

    private static String checkQueue(String queue) {
        // JobQuery validates queue names like every other entry point.
        return new JobQuery(null, queue, null, null, 1).queue();
    }

    @Override
    public PurgeReport purgeNow() {
        return purge(ops.config().retention());
    }

    @Override
    public PurgeReport purge(RetentionPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return ops.retention().purge(policy, () -> true);
    }

    @Override
    public boolean flush(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be null or negative but was " + timeout);
        }
        boolean written = engine.flush(timeout);
        AuditTrail audit = ops.audit();
        return (audit == null || audit.flush()) && written;
    }

    @Override
    public ClusterView cluster() {
        Optional<LeaderLease> lease = store.leader(MaintenanceLeader.ROLE);
        ClusterView.Leader leader = lease.map(l -> new ClusterView.Leader(l.owner(), l.fencingToken(),
                l.expiresAt())).orElse(null);
        List<ClusterView.Node> nodes = new ArrayList<>();
        for (NodeInfo node : store.nodes()) {
            nodes.add(new ClusterView.Node(node.nodeId(), node.host(), node.startedAt(), node.lastSeen(),
                    node.workers(), node.running(), leader != null && leader.nodeId().equals(node.nodeId())));
        }
        QueueRates rates = ops.rates();
        StoreStats stats = rates.latest();
        if (stats == null) {
            stats = store.stats();
        }
        List<ClusterView.Queue> queues = new ArrayList<>();
        for (QueueStats q : new TreeMap<>(stats.queues()).values()) {
            QueueRates.Rates r = rates.of(q.queue());
            long waiting = q.count(JobState.WAITING);
            long scheduled = q.count(JobState.SCHEDULED);
            long ready = q.count(JobState.READY);
            queues.add(new ClusterView.Queue(q.queue(), q.paused(), waiting + scheduled + ready, waiting, scheduled,
                    ready, q.count(JobState.RUNNING), q.count(JobState.SUCCEEDED), q.count(JobState.DEAD),
                    q.count(JobState.CANCELLED), q.oldestReadyAt(), r.submittedPerSecond(), r.finishedPerSecond()));
        }
        return new ClusterView(engine.clock().instant(), leader, nodes, queues);
    }

    @Override
    public boolean leads() {
        return ops.leader().leads();
    }

    @Override
    public List<RecurringView> recurringJobs() {
        Instant now = engine.clock().instant();
        List<RecurringView> views = new ArrayList<>();
        for (RecurringJob job : ops.recurring()) {
            OptionalLong last = store.lastFire(job.id());
            String zone = job.schedule().zone().map(ZoneId::getId).orElse(null);
            views.add(new RecurringView(job.id(), job.describe(), zone, job.request().type(), job.misfire().toString(),
                    job.noOverlap(), last.isPresent() ? Instant.ofEpochMilli(last.getAsLong()) : null,
                    job.nextFireAfter(now).orElse(null)));
        }
        return views;
    }
}
