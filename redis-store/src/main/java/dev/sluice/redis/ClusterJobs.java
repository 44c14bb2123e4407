package dev.sluice.redis;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.Priority;
import dev.sluice.SluiceException;
import dev.sluice.StoreCapacityExceededException;
import dev.sluice.store.CancelResult;
import dev.sluice.store.ClaimBatch;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.Dependency;
import dev.sluice.store.EnqueueResult;
import dev.sluice.store.HistoryEntry;
import dev.sluice.store.LeaseRef;
import dev.sluice.store.LeaseStatus;
import dev.sluice.store.NewJob;
import dev.sluice.store.ProgressUpdate;
import dev.sluice.store.PurgeRequest;
import dev.sluice.store.QueueClaim;
import dev.sluice.store.QueueStats;
import dev.sluice.store.RecoveredJob;
import dev.sluice.store.StoreStats;
import dev.sluice.store.StoredJob;
import dev.sluice.store.WriteResult;
import io.lettuce.core.RedisFuture;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The job and queue calls of a Cluster store (README.md, "Redis Cluster"): each slot group is a store of its own
 * over one hash tag (a {@link RedisJobStore} on the group's key base, sharing the connection and the loaded
 * scripts), and this class sends each call to the groups it concerns: by queue, by job id (through
 * {@link JobLocator}), or to every registered group (stats, lists, purge, recovery). The groups a store has written
 * to are listed in the registry set {@code {<keyPrefix>}groups}, added to before a group's first write.
 */
final class ClusterJobs {

    private final RedisLink link;
    private final SlotLayout layout;
    private final RedisJobStore whole;
    private final Map<String, RedisJobStore> stores = new ConcurrentHashMap<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final JobLocator locator;
    private final ClusterClaim clusterClaim;
    private final RedisJobStore storeWide;

    /**
     * @param whole the Cluster store, whose settings and connection the group stores share; its own key base is
     *              the store-wide {@code {<keyPrefix>}}
     */
    ClusterJobs(RedisJobStore whole, RedisLink link, SlotLayout layout) {
        this.whole = whole;
        this.link = link;
        this.layout = layout;
        this.locator = new JobLocator(link, this::registeredGroups, this::store);
        this.clusterClaim = new ClusterClaim(link, whole.clock(), whole.agingStepMillis(), this::store);
        this.storeWide = whole.slotGroupStore(whole.keyBase());
    }

    // ---------------------------------------------------------------- enqueue

    List<EnqueueResult> enqueue(List<NewJob> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        Map<String, List<Integer>> byGroup = new LinkedHashMap<>();
        Map<JobId, String> groupOfNew = new HashMap<>();
        for (int i = 0; i < jobs.size(); i++) {
            NewJob job = Objects.requireNonNull(jobs.get(i), "null job in the enqueue list");
            String group = layout.groupOf(job.queue());
            if (groupOfNew.put(job.id(), group) != null) {
                throw new IllegalArgumentException("job id " + job.id() + " (type '" + job.type()
                        + "') is named twice; nothing of this enqueue was stored");
            }
            byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(i);
            whole.checkPayload(job);
        }
        refuseGraphsAcrossGroups(jobs, groupOfNew);
        EnqueueResult[] results = new EnqueueResult[jobs.size()];
        List<String> storedQueues = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> part : byGroup.entrySet()) {
            String group = part.getKey();
            List<NewJob> partJobs = new ArrayList<>(part.getValue().size());
            for (int index : part.getValue()) {
                partJobs.add(jobs.get(index));
            }
            List<EnqueueResult> partResults;
            try {
                register(group);
                partResults = store(group).enqueue(partJobs);
            } catch (RuntimeException e) {
                throw storedBefore(storedQueues, e);
            }
            for (int k = 0; k < partJobs.size(); k++) {
                results[part.getValue().get(k)] = partResults.get(k);
                locator.remember(partResults.get(k).id(), group);
            }
            for (NewJob job : partJobs) {
                if (!storedQueues.contains(job.queue())) {
                    storedQueues.add(job.queue());
                }
            }
        }
        return List.of(results);
    }

    /**
     * A dependency graph lives in one slot group: an edge between jobs of two groups could not be applied
     * atomically (README.md, "Redis Cluster"). Parents outside the list are looked up (remembered or searched).
     */
    private void refuseGraphsAcrossGroups(List<NewJob> jobs, Map<JobId, String> groupOfNew) {
        List<JobId> stored = new ArrayList<>();
        for (NewJob job : jobs) {
            for (Dependency edge : job.parents()) {
                if (!groupOfNew.containsKey(edge.parent())) {
                    stored.add(edge.parent());
                }
            }
        }
        Map<JobId, String> groupOfStored = stored.isEmpty() ? Map.of() : locator.locate(stored);
        Map<JobId, String> queueOfNew = new HashMap<>();
        for (NewJob job : jobs) {
            queueOfNew.put(job.id(), job.queue());
        }
        for (NewJob job : jobs) {
            String group = groupOfNew.get(job.id());
            for (Dependency edge : job.parents()) {
                JobId parent = edge.parent();
                String parentGroup = groupOfNew.getOrDefault(parent, groupOfStored.get(parent));
                if (parentGroup != null && !parentGroup.equals(group)) {
                    String parentQueue = queueOfNew.containsKey(parent) ? queueOfNew.get(parent)
                            : store(parentGroup).find(parent).map(StoredJob::queue).orElse("?");
                    throw new IllegalArgumentException("job " + job.id() + " in queue '" + job.queue()
                            + "' (slot group '" + group + "') depends on job " + parent + " in queue '" + parentQueue
                            + "' (slot group '" + parentGroup + "'): on a Redis Cluster a dependency graph lives in "
                            + "one slot group, so name queues '" + job.queue() + "' and '" + parentQueue + "' in one "
                            + "queueGroup of the store; nothing of this enqueue was stored");
                }
            }
        }
    }

    /** The failure of one group's part, saying which queues' jobs an earlier part stored already. */
    private static RuntimeException storedBefore(List<String> storedQueues, RuntimeException failure) {
        if (storedQueues.isEmpty()) {
            return failure;
        }
        String message = failure.getMessage() + " (this enqueue spans slot groups, stored one atomic part per group: "
                + "the jobs of queues " + storedQueues + " were stored before this part failed)";
        RuntimeException told = failure instanceof IllegalArgumentException ? new IllegalArgumentException(message)
                : failure instanceof StoreCapacityExceededException
                ? new StoreCapacityExceededException(message)
                : new SluiceException(message, failure);
        if (told.getCause() == null) {
            told.initCause(failure);
        }
        return told;
    }

    Optional<EnqueueResult> enqueueFire(String scheduleId, long fireTimeMillis, NewJob job) {
        Objects.requireNonNull(job, "job");
        String group = layout.groupOf(job.queue());
        register(group);
        Optional<EnqueueResult> result = store(group).enqueueFire(scheduleId, fireTimeMillis, job);
        result.ifPresent(r -> locator.remember(r.id(), group));
        return result;
    }

    /** The latest fire over all groups: a schedule's fires are recorded in the group of its job's queue. */
    OptionalLong lastFire(String scheduleId) {
        Objects.requireNonNull(scheduleId, "scheduleId");
        OptionalLong latest = OptionalLong.empty();
        for (String group : registeredGroups()) {
            OptionalLong last = store(group).lastFire(scheduleId);
            if (last.isPresent() && (latest.isEmpty() || last.getAsLong() > latest.getAsLong())) {
                latest = last;
            }
        }
        return latest;
    }

    // ---------------------------------------------------------------- claim and fenced writes

    ClaimBatch claim(ClaimRequest request) {
        Map<String, List<QueueClaim>> byGroup = new LinkedHashMap<>();
        for (QueueClaim queue : request.queues()) {
            byGroup.computeIfAbsent(layout.groupOf(queue.queue()), g -> new ArrayList<>()).add(queue);
        }
        ClaimBatch batch;
        if (byGroup.isEmpty()) {
            return ClaimBatch.empty();
        } else if (byGroup.size() == 1) {
            batch = store(byGroup.keySet().iterator().next()).claim(request);
        } else {
            batch = clusterClaim.claim(request, byGroup);
        }
        for (ClaimedJob job : batch.jobs()) {
            locator.remember(job.id(), layout.groupOf(job.queue()));
        }
        return batch;
    }

    List<WriteResult> completeAll(List<Completion> completions) {
        return byJob(completions, Completion::id, WriteResult.STALE, RedisJobStore::completeAll);
    }

    List<LeaseStatus> renewLeases(List<LeaseRef> leases, long leaseMillis) {
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("leaseMillis must be > 0 but was " + leaseMillis);
        }
        return byJob(leases, LeaseRef::id, LeaseStatus.LOST, (store, part) -> store.renewLeases(part, leaseMillis));
    }

    List<WriteResult> saveProgress(List<ProgressUpdate> updates) {
        return byJob(updates, ProgressUpdate::id, WriteResult.STALE, RedisJobStore::saveProgress);
    }

    /** Up to {@code max} in all, group after group. */
    List<RecoveredJob> recoverExpired(int max) {
        List<RecoveredJob> recovered = new ArrayList<>();
        for (String group : registeredGroups()) {
            if (recovered.size() >= max) {
                break;
            }
            recovered.addAll(store(group).recoverExpired(max - recovered.size()));
        }
        return recovered;
    }

    // ---------------------------------------------------------------- control

    CancelResult cancel(JobId id) {
        String group = locator.locate(Objects.requireNonNull(id, "id"));
        return group == null ? CancelResult.NOT_FOUND : store(group).cancel(id);
    }

    boolean reprioritize(JobId id, Priority priority) {
        Objects.requireNonNull(priority, "priority");
        String group = locator.locate(Objects.requireNonNull(id, "id"));
        return group != null && store(group).reprioritize(id, priority);
    }

    boolean retry(JobId id) {
        String group = locator.locate(Objects.requireNonNull(id, "id"));
        return group != null && store(group).retry(id);
    }

    void pauseQueue(String queue) {
        String group = layout.groupOf(Objects.requireNonNull(queue, "queue"));
        register(group);
        store(group).pauseQueue(queue);
    }

    void resumeQueue(String queue) {
        store(layout.groupOf(Objects.requireNonNull(queue, "queue"))).resumeQueue(queue);
    }

    Set<String> pausedQueues() {
        List<String> groups = registeredGroups();
        List<RedisFuture<Set<byte[]>>> replies = new ArrayList<>(groups.size());
        for (String group : groups) {
            replies.add(link.async().smembers(store(group).key("paused")));
        }
        link.awaitAll(replies, "paused-queue reads");
        Set<String> paused = new HashSet<>();
        for (RedisFuture<Set<byte[]>> reply : replies) {
            for (byte[] name : link.get(reply)) {
                paused.add(new String(name, StandardCharsets.UTF_8));
            }
        }
        return Set.copyOf(paused);
    }

    int cancelWaiting(String queue, int max) {
        return store(layout.groupOf(Objects.requireNonNull(queue, "queue"))).cancelWaiting(queue, max);
    }

    /** Up to the request's limit in all, group after group; each group applies keepNewestPerType to its jobs. */
    int purge(PurgeRequest request) {
        Objects.requireNonNull(request, "request");
        int deleted = 0;
        for (String group : registeredGroups()) {
            if (deleted >= request.limit()) {
                break;
            }
            deleted += store(group).purge(new PurgeRequest(request.states(), request.finishedBefore(),
                    request.keepNewestPerType(), request.limit() - deleted));
        }
        return deleted;
    }

    // ---------------------------------------------------------------- queries

    Optional<StoredJob> find(JobId id) {
        String group = locator.locate(Objects.requireNonNull(id, "id"));
        return group == null ? Optional.empty() : store(group).find(id);
    }

    List<StoredJob> findAll(Collection<JobId> ids) {
        List<StoredJob> found = new ArrayList<>();
        for (Map.Entry<String, List<JobId>> part : byGroup(locator.locate(ids)).entrySet()) {
            found.addAll(store(part.getKey()).findAll(part.getValue()));
        }
        return found;
    }

    /** One page from each group (all groups, or the queue's), merged by id. */
    List<StoredJob> list(JobQuery query) {
        List<String> groups = query.queue() != null ? List.of(layout.groupOf(query.queue())) : registeredGroups();
        List<StoredJob> merged = new ArrayList<>();
        for (String group : groups) {
            merged.addAll(store(group).list(query));
        }
        merged.sort((a, b) -> a.id().compareTo(b.id()));
        return Collections.unmodifiableList(merged.subList(0, Math.min(query.limit(), merged.size())));
    }

    /** Each group's counts (its queues are its own); the time is the store-wide slot's. */
    StoreStats stats() {
        Map<String, QueueStats> queues = new HashMap<>();
        for (String group : registeredGroups()) {
            queues.putAll(store(group).stats().queues());
        }
        return new StoreStats(queues, storeWide.stats().takenAt());
    }

    List<Dependency> parentsOf(JobId child) {
        String group = locator.locate(Objects.requireNonNull(child, "child"));
        return group == null ? List.of() : store(group).parentsOf(child);
    }

    List<JobId> childrenOf(JobId parent) {
        String group = locator.locate(Objects.requireNonNull(parent, "parent"));
        return group == null ? List.of() : store(group).childrenOf(parent);
    }

    /** Entries of jobs stored in no group are dropped: the job is gone, and its history with it. */
    void appendHistory(List<HistoryEntry> entries) {
        byJob(entries, HistoryEntry::id, Boolean.FALSE, (store, part) -> {
            store.appendHistory(part);
            return Collections.nCopies(part.size(), Boolean.TRUE);
        });
    }

    List<HistoryEntry> history(JobId id) {
        String group = locator.locate(Objects.requireNonNull(id, "id"));
        return group == null ? List.of() : store(group).history(id);
    }

    // ---------------------------------------------------------------- routing

    /**
     * Sends each item to the group of its job, one call per group, and gives the results in the items' order;
     * an item whose job is stored in no group gets {@code missing}.
     */
    private <T, R> List<R> byJob(List<T> items, Function<T, JobId> idOf, R missing,
                                 BiFunction<RedisJobStore, List<T>, List<R>> call) {
        if (items.isEmpty()) {
            return List.of();
        }
        List<JobId> ids = new ArrayList<>(items.size());
        for (T item : items) {
            ids.add(idOf.apply(Objects.requireNonNull(item, "null entry in the list")));
        }
        Map<JobId, String> groups = locator.locate(ids);
        Map<String, List<Integer>> indexesByGroup = new LinkedHashMap<>();
        List<R> results = new ArrayList<>(Collections.nCopies(items.size(), missing));
        for (int i = 0; i < items.size(); i++) {
            String group = groups.get(ids.get(i));
            if (group != null) {
                indexesByGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(i);
            }
        }
        for (Map.Entry<String, List<Integer>> part : indexesByGroup.entrySet()) {
            List<T> partItems = new ArrayList<>(part.getValue().size());
            for (int index : part.getValue()) {
                partItems.add(items.get(index));
            }
            List<R> partResults = call.apply(store(part.getKey()), partItems);
            for (int k = 0; k < partItems.size(); k++) {
                results.set(part.getValue().get(k), partResults.get(k));
            }
        }
        return List.copyOf(results);
    }

    private static Map<String, List<JobId>> byGroup(Map<JobId, String> groups) {
        Map<String, List<JobId>> byGroup = new LinkedHashMap<>();
        groups.forEach((id, group) -> byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(id));
        return byGroup;
    }

    /** Adds the group to the registry (once per store) before its first write, so that every reader finds it. */
    private void register(String group) {
        if (!registered.contains(group)) {
            link.sync().sadd(layout.registryKey(), group.getBytes(StandardCharsets.UTF_8));
            registered.add(group);
        }
    }

    /** Every group any store on this prefix has written to, in name order. */
    private List<String> registeredGroups() {
        List<String> groups = new ArrayList<>();
        for (byte[] name : link.sync().smembers(layout.registryKey())) {
            groups.add(new String(name, StandardCharsets.UTF_8));
        }
        Collections.sort(groups);
        return groups;
    }

    private RedisJobStore store(String group) {
        return stores.computeIfAbsent(group, g -> whole.slotGroupStore(layout.keyBase(g)));
    }
}
