package dev.sluice.redis;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.store.CancelResult;
import dev.sluice.store.ClaimBatch;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.Dependency;
import dev.sluice.store.EnqueueResult;
import dev.sluice.store.HistoryEntry;
import dev.sluice.store.JobStore;
import dev.sluice.store.LeaderLease;
import dev.sluice.store.LeaseRef;
import dev.sluice.store.LeaseStatus;
import dev.sluice.store.NewJob;
import dev.sluice.store.NodeInfo;
import dev.sluice.store.ProgressUpdate;
import dev.sluice.store.PurgeRequest;
import dev.sluice.store.QueueClaim;
import dev.sluice.store.RecoveredJob;
import dev.sluice.store.ResultCacheStore;
import dev.sluice.store.SharedRateLimits;
import dev.sluice.store.StoreStats;
import dev.sluice.store.StoredJob;
import dev.sluice.store.WriteResult;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@link JobStore} on Redis 7: jobs are hashes, queues are sorted sets, and every change that touches more than
 * one key is one Lua script (see README.md), so each call is atomic and one round trip. Made by
 * {@link #builder()}.
 *
 * <p><b>Thread-safety.</b> Thread-safe; many threads and many processes may share one Redis. Calls from
 * concurrent threads are pipelined on one Lettuce connection.
 *
 * <p><b>Time.</b> By default the scripts read Redis's own clock (TIME), so all nodes judge run-at times, leases
 * and aging by one clock. A {@link Builder#clock clock} given to the builder is used instead (tests).
 *
 * <p><b>Choices the SPI leaves open</b> (as {@code InMemoryJobStore}): a cancel requested while a job runs wins
 * over a later RETRY or RELEASED completion and over lease-expiry recovery; {@link #retry} returns false when
 * another live job holds the job's unique key; due SCHEDULED jobs are promoted when a claim looks at their queue,
 * so until then {@link #find} reads SCHEDULED; of the SUCCEEDED and CANCELLED jobs the most recently finished
 * {@code retainFinished} are kept. When Redis's memory is full, the calls that add data ({@link #enqueue},
 * {@link #enqueueFire}, {@link #saveProgress}, {@link #appendHistory}) throw
 * {@link dev.sluice.StoreCapacityExceededException} and write nothing; claims, completions, cancels and purges
 * still run, so that a full store can drain.
 *
 * <p><b>Optional capabilities.</b> It is also the cluster's {@link ResultCacheStore} (one key per entry with its
 * expiry on the store's clock and a server-side TTL; {@link #saveCachedResult} is refused like an enqueue when
 * memory is full) and its {@link SharedRateLimits} (one key per limit, taken in one script call). Times to live and
 * periods are at most 100 years.
 *
 * <p><b>Redis Cluster</b> ({@link Builder#clusterUri}, {@link Builder#clusterClient}). The keys of each queue share
 * one hash tag, so queues spread over the masters; queues named together in a {@link Builder#queueGroup} share
 * one. Every call is atomic within one such slot group, and a dependency graph must live in one (an edge between
 * groups is refused with {@link IllegalArgumentException} naming both queues). What that changes against the
 * contract above: an enqueue that spans groups is one atomic step per group; claims over several groups merge
 * by sort key from a read of the queues' heads; fencing tokens, unique keys, ids already stored, retention of
 * finished jobs and purge's {@code keepNewestPerType} are counted per group. See README.md, "Redis Cluster".
 */
public final class RedisJobStore implements JobStore, ResultCacheStore, SharedRateLimits {

    private static final Pattern KEY_PREFIX = Pattern.compile("[a-zA-Z0-9_:.-]{1,64}");

    private final RedisLink link;
    /** False for the store of one slot group of a Cluster store, which shares that store's connection. */
    private final boolean ownsLink;
    private final RedisClusterCommands<byte[], byte[]> redis;
    private final ScriptRunner scripts;
    private final WorkSignal workSignal;
    private final RedisQueries queries;
    private final EnqueueCall enqueueCall;
    private final RedisMaintenance maintenance;
    private final RedisCoordination coordination;
    private final RedisResultCache resultCache;
    private final RedisRateLimits rateLimits;
    private final String keyBase;
    private final Clock clock;
    private final long agingStepMillis;
    private final int retainFinished;
    private final int maxPayloadBytes;
    /** The calls of a Cluster store that go to its slot groups; null on one server and for a group's own store. */
    private final ClusterJobs cluster;
    private volatile boolean closed;

    /** The store a builder makes: on one server, or on a Cluster with its keys spread by {@code layout}. */
    private RedisJobStore(Builder b, RedisLink link, SlotLayout layout) {
        this(link, true, "{" + b.keyPrefix + "}", new ScriptRunner(link, "{" + b.keyPrefix + "}"),
                layout == null ? new WorkSignal(link, "{" + b.keyPrefix + "}work", false, b.pollInterval)
                        : new WorkSignal(link, layout.workChannels(), true, b.pollInterval),
                b.clock, b.agingStep.toMillis(), b.retainFinished, b.maxPayloadBytes, layout);
    }

    private RedisJobStore(RedisLink link, boolean ownsLink, String keyBase, ScriptRunner scripts,
                          WorkSignal workSignal, Clock clock, long agingStepMillis, int retainFinished,
                          int maxPayloadBytes, SlotLayout layout) {
        this.link = link;
        this.ownsLink = ownsLink;
        this.redis = link.sync();
        this.keyBase = keyBase;
        this.scripts = scripts;
        this.workSignal = workSignal;
        this.clock = clock;
        this.agingStepMillis = agingStepMillis;
        this.retainFinished = retainFinished;
        this.maxPayloadBytes = maxPayloadBytes;
        this.queries = new RedisQueries(link, scripts, clock, this::jobKey, id -> key("children:" + id));
        this.enqueueCall = new EnqueueCall(scripts, clock, retainFinished, maxPayloadBytes);
        this.maintenance = new RedisMaintenance(redis, scripts, clock, retainFinished, id -> key("history:" + id));
        this.coordination = new RedisCoordination(scripts, clock);
        this.resultCache = new RedisResultCache(scripts, clock);
        this.rateLimits = new RedisRateLimits(scripts, clock);
        this.cluster = layout == null ? null : new ClusterJobs(this, link, layout);
    }

    /**
     * A store over the keys under {@code groupKeyBase} only (one slot group of this Cluster store, or its
     * store-wide slot), with this store's settings, connection and loaded scripts; closing it closes nothing.
     */
    RedisJobStore slotGroupStore(String groupKeyBase) {
        return new RedisJobStore(link, false, groupKeyBase, scripts.withKeyBase(groupKeyBase), null, clock,
                agingStepMillis, retainFinished, maxPayloadBytes, null);
    }

    /**
     * A builder with the defaults: key prefix "sluice:", Redis's own clock, aging step 60 s, poll interval 1 s,
     * 10,000 finished jobs kept, payloads up to 1 MiB. One server ({@link Builder#uri URI} or {@link Builder#client
     * client}) or a Cluster ({@link Builder#clusterUri URIs} or {@link Builder#clusterClient client}) is required.
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- enqueue

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the id when a job with the same id is already stored or appears
     *                                  twice in the list, naming the job and parent when a parent is unknown (or
     *                                  a duplicate of the same list), or naming the job and size
     *                                  when a payload is larger than {@code maxPayloadBytes}; nothing was stored
     */
    @Override
    public List<EnqueueResult> enqueue(List<NewJob> jobs) {
        if (cluster != null) {
            return cluster.enqueue(jobs);
        }
        return enqueueCall.enqueue(jobs);
    }

    // ---------------------------------------------------------------- claim

    @Override
    public ClaimBatch claim(ClaimRequest request) {
        if (cluster != null) {
            return cluster.claim(request);
        }
        List<QueueClaim> queues = request.queues();
        if (queues.isEmpty()) {
            return ClaimBatch.empty();
        }
        Args args = new Args(8 + queues.size() * 4).now(clock).add(agingStepMillis).add(request.nodeId())
                .add(request.leaseMillis()).add(Math.max(0, request.maxTotal())).add(queues.size());
        for (QueueClaim queue : queues) {
            boolean limited = queue.maxPerTenant() != Integer.MAX_VALUE;
            args.add(queue.queue()).add(queue.max()).add(limited ? Math.max(0, queue.maxPerTenant()) : -1);
            Map<String, Integer> inFlight = limited ? queue.tenantInFlight() : Map.of();
            args.add(inFlight.size());
            for (Map.Entry<String, Integer> entry : inFlight.entrySet()) {
                args.add(entry.getKey()).add(entry.getValue() == null ? 0 : entry.getValue());
            }
        }
        List<Object> reply = scripts.runList(Script.CLAIM, args.toArray());
        long nextRunAt = Replies.toLong(reply.get(0));
        int count = (reply.size() - 1) / 13;
        if (count == 0) {
            return nextRunAt == 0 ? ClaimBatch.empty() : new ClaimBatch(List.of(), nextRunAt);
        }
        ClaimedJob[] claimed = new ClaimedJob[count];
        for (int i = 0; i < count; i++) {
            int b = 1 + i * 13;
            claimed[i] = new ClaimedJob(JobId.parse(Replies.toText(reply.get(b))), Replies.toText(reply.get(b + 1)),
                    Replies.toText(reply.get(b + 2)), Priority.ofWeight(Replies.toInt(reply.get(b + 3))),
                    Replies.toStringOrNull(reply.get(b + 4)), Replies.toBytes(reply.get(b + 5)),
                    Replies.toInt(reply.get(b + 6)), Replies.toInt(reply.get(b + 7)), Replies.toLong(reply.get(b + 8)),
                    Replies.toLong(reply.get(b + 9)), Replies.toLong(reply.get(b + 10)),
                    Replies.toLong(reply.get(b + 11)), Replies.toLong(reply.get(b + 12)));
        }
        return new ClaimBatch(List.of(claimed), nextRunAt);
    }

    // ---------------------------------------------------------------- fenced writes

    /**
     * {@inheritDoc}
     *
     * <p>A RETRY or RELEASED completion of a job whose cancellation was requested ends it CANCELLED instead.
     */
    @Override
    public List<WriteResult> completeAll(List<Completion> completions) {
        if (cluster != null) {
            return cluster.completeAll(completions);
        }
        int n = completions.size();
        if (n == 0) {
            return List.of();
        }
        Args args = new Args(3 + n * 8).now(clock).add(retainFinished).add(n);
        for (Completion completion : completions) {
            args.add(completion.id().toString()).add(completion.fencingToken()).add(completion.outcome().name())
                    .flag(completion.result() != null).add(completion.result())
                    .flag(completion.error() != null).add(completion.error()).add(completion.runAtMillis());
        }
        return writeResults(scripts.runList(Script.COMPLETE, args.toArray()));
    }

    @Override
    public List<LeaseStatus> renewLeases(List<LeaseRef> leases, long leaseMillis) {
        if (cluster != null) {
            return cluster.renewLeases(leases, leaseMillis);
        }
        if (leaseMillis <= 0) {
            throw new IllegalArgumentException("leaseMillis must be > 0 but was " + leaseMillis);
        }
        int n = leases.size();
        if (n == 0) {
            return List.of();
        }
        Args args = new Args(3 + n * 2).now(clock).add(leaseMillis).add(n);
        for (LeaseRef lease : leases) {
            args.add(lease.id().toString()).add(lease.fencingToken());
        }
        List<Object> reply = scripts.runList(Script.RENEW, args.toArray());
        LeaseStatus[] statuses = new LeaseStatus[n];
        for (int i = 0; i < n; i++) {
            long status = Replies.toLong(reply.get(i));
            statuses[i] = status == 1 ? LeaseStatus.RENEWED
                    : status == 2 ? LeaseStatus.CANCEL_REQUESTED : LeaseStatus.LOST;
        }
        return List.of(statuses);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A job whose cancellation was requested ends CANCELLED instead ({@code newState} CANCELLED).
     */
    @Override
    public List<RecoveredJob> recoverExpired(int max) {
        if (cluster != null) {
            return max <= 0 ? List.of() : cluster.recoverExpired(max);
        }
        if (max <= 0) {
            return List.of();
        }
        List<Object> reply = scripts.runList(Script.RECOVER,
                new Args(3).now(clock).add(max).add(retainFinished).toArray());
        List<RecoveredJob> recovered = new ArrayList<>(reply.size() / 6);
        for (int b = 0; b + 5 < reply.size(); b += 6) {
            recovered.add(new RecoveredJob(JobId.parse(Replies.toText(reply.get(b))), Replies.toText(reply.get(b + 1)),
                    Replies.toText(reply.get(b + 2)), Replies.toInt(reply.get(b + 3)),
                    JobState.valueOf(Replies.toText(reply.get(b + 4))), Replies.toStringOrNull(reply.get(b + 5))));
        }
        return recovered;
    }

    @Override
    public List<WriteResult> saveProgress(List<ProgressUpdate> updates) {
        if (cluster != null) {
            return cluster.saveProgress(updates);
        }
        int n = updates.size();
        if (n == 0) {
            return List.of();
        }
        Args args = new Args(1 + n * 5).add(n);
        for (ProgressUpdate update : updates) {
            args.add(update.id().toString()).add(update.fencingToken()).add(Double.toString(update.progress()))
                    .flag(update.checkpoint() != null).add(update.checkpoint());
        }
        return writeResults(scripts.runList(Script.PROGRESS, args.toArray()));
    }

    private static List<WriteResult> writeResults(List<Object> reply) {
        WriteResult[] results = new WriteResult[reply.size()];
        for (int i = 0; i < results.length; i++) {
            results[i] = Replies.toLong(reply.get(i)) == 1 ? WriteResult.ACCEPTED : WriteResult.STALE;
        }
        return List.of(results);
    }

    // ---------------------------------------------------------------- control

    @Override
    public CancelResult cancel(JobId id) {
        if (cluster != null) {
            return cluster.cancel(id);
        }
        Object reply = scripts.runScalar(Script.CANCEL, new Args(3).now(clock).add(retainFinished).add(id.toString())
                .toArray());
        return CancelResult.valueOf(Replies.toText(reply));
    }

    @Override
    public void pauseQueue(String queue) {
        if (cluster != null) {
            cluster.pauseQueue(queue);
            return;
        }
        Objects.requireNonNull(queue, "queue");
        scripts.run(Script.QUEUE_STATE, new Args(2).add("pause").add(queue).toArray());
    }

    @Override
    public void resumeQueue(String queue) {
        if (cluster != null) {
            cluster.resumeQueue(queue);
            return;
        }
        Objects.requireNonNull(queue, "queue");
        scripts.run(Script.QUEUE_STATE, new Args(2).add("resume").add(queue).toArray());
    }

    @Override
    public Set<String> pausedQueues() {
        if (cluster != null) {
            return cluster.pausedQueues();
        }
        Set<String> paused = new HashSet<>();
        for (byte[] name : redis.smembers(key("paused"))) {
            paused.add(new String(name, StandardCharsets.UTF_8));
        }
        return Set.copyOf(paused);
    }

    @Override
    public boolean reprioritize(JobId id, Priority priority) {
        if (cluster != null) {
            return cluster.reprioritize(id, priority);
        }
        Objects.requireNonNull(priority, "priority");
        return Replies.toLong(scripts.runScalar(Script.REPRIORITIZE,
                new Args(2).add(id.toString()).add(priority.weight()).toArray())) == 1;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The job takes its unique key again; when another live job holds it now, nothing changes and the result
     * is false. Progress, checkpoint and last error are kept.
     */
    @Override
    public boolean retry(JobId id) {
        if (cluster != null) {
            return cluster.retry(id);
        }
        return Replies.toLong(scripts.runScalar(Script.RETRY, new Args(2).now(clock).add(id.toString()).toArray())) == 1;
    }

    // ---------------------------------------------------------------- queries

    @Override
    public Optional<StoredJob> find(JobId id) {
        if (cluster != null) {
            return cluster.find(id);
        }
        return queries.find(id);
    }

    /** {@inheritDoc} One pipelined round trip. */
    @Override
    public List<StoredJob> findAll(Collection<JobId> ids) {
        if (cluster != null) {
            return cluster.findAll(ids);
        }
        return queries.findAll(ids);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Walks the index of job ids from {@code afterId} and reads the matching jobs: two round trips. At most
     * 100,000 ids are examined per call, so a very selective filter over a large store may return a short page;
     * the next page goes on from its last id.
     */
    @Override
    public List<StoredJob> list(JobQuery query) {
        if (cluster != null) {
            return cluster.list(query);
        }
        return queries.list(query);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Costs no scan of jobs: the scripts keep counts per queue and state. Lists every queue the store has
     * seen, paused ones included. Due SCHEDULED jobs are counted as SCHEDULED until a claim promotes them.
     */
    @Override
    public StoreStats stats() {
        if (cluster != null) {
            return cluster.stats();
        }
        return queries.stats();
    }

    // ---------------------------------------------------------------- dependency graphs

    @Override
    public List<Dependency> parentsOf(JobId child) {
        if (cluster != null) {
            return cluster.parentsOf(child);
        }
        return queries.parentsOf(Objects.requireNonNull(child, "child"));
    }

    @Override
    public List<JobId> childrenOf(JobId parent) {
        if (cluster != null) {
            return cluster.childrenOf(parent);
        }
        return queries.childrenOf(Objects.requireNonNull(parent, "parent"));
    }

    // ---------------------------------------------------------------- operations

    /**
     * {@inheritDoc}
     *
     * <p>The choice is exactly by id while each of the queue's six sets (waiting, scheduled, four ready levels)
     * holds at most 1,000 jobs; a larger set contributes its first {@code max} jobs in its own order (run-at or
     * ready-at), which is id order for jobs that were neither delayed nor retried. The count includes chosen
     * jobs cancelled by the cascade from another chosen job.
     */
    @Override
    public int cancelWaiting(String queue, int max) {
        if (cluster != null) {
            return cluster.cancelWaiting(queue, max);
        }
        return maintenance.cancelWaiting(queue, max);
    }

    @Override
    public int purge(PurgeRequest request) {
        if (cluster != null) {
            return cluster.purge(request);
        }
        return maintenance.purge(request);
    }

    @Override
    public Optional<EnqueueResult> enqueueFire(String scheduleId, long fireTimeMillis, NewJob job) {
        if (cluster != null) {
            return cluster.enqueueFire(scheduleId, fireTimeMillis, job);
        }
        List<EnqueueResult> results = enqueueCall.enqueueFire(scheduleId, fireTimeMillis, job);
        return results == null ? Optional.empty() : Optional.of(results.get(0));
    }

    @Override
    public OptionalLong lastFire(String scheduleId) {
        if (cluster != null) {
            return cluster.lastFire(scheduleId);
        }
        Objects.requireNonNull(scheduleId, "scheduleId");
        byte[] last = redis.hget(key("fires"), scheduleId.getBytes(StandardCharsets.UTF_8));
        return last == null ? OptionalLong.empty() : OptionalLong.of(Replies.parseLong(last));
    }

    @Override
    public Optional<LeaderLease> tryLead(String role, String nodeId, long leaseMillis) {
        return coordination.tryLead(role, nodeId, leaseMillis);
    }

    @Override
    public void resign(String role, String nodeId) {
        coordination.resign(role, nodeId);
    }

    @Override
    public Optional<LeaderLease> leader(String role) {
        return coordination.leader(role);
    }

    @Override
    public void heartbeat(NodeInfo node, long ttlMillis) {
        coordination.heartbeat(node, ttlMillis);
    }

    @Override
    public List<NodeInfo> nodes() {
        return coordination.nodes();
    }

    @Override
    public void removeNode(String nodeId) {
        coordination.removeNode(nodeId);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One list per job, deleted with the job (retention or purge).
     */
    @Override
    public void appendHistory(List<HistoryEntry> entries) {
        if (cluster != null) {
            cluster.appendHistory(entries);
            return;
        }
        maintenance.appendHistory(entries);
    }

    @Override
    public List<HistoryEntry> history(JobId id) {
        if (cluster != null) {
            return cluster.history(id);
        }
        return maintenance.history(id);
    }

    // ---------------------------------------------------------------- optional capabilities

    @Override
    public Optional<CachedResult> findCachedResult(String type, String key) {
        return resultCache.find(type, key);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the value when {@code ttlMillis} is not in 1 ms to 100 years
     * @throws dev.sluice.StoreCapacityExceededException when Redis's memory is full (nothing was saved)
     */
    @Override
    public void saveCachedResult(String type, String key, byte[] result, long ttlMillis) {
        resultCache.save(type, key, result, ttlMillis);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the values when {@code wanted} or {@code limit} is below 1, or
     *                                  {@code periodMillis} is not in 1 ms to 100 years
     */
    @Override
    public PermitGrant takePermits(String name, int wanted, int limit, long periodMillis) {
        return rateLimits.take(name, wanted, limit, periodMillis);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Backed by Redis pub/sub on the store's work channel (a hint: messages are lost while disconnected) and a
     * fallback call every {@code pollInterval}. Callbacks run on one daemon thread of the store.
     */
    @Override
    public AutoCloseable subscribe(Runnable onWork) {
        Objects.requireNonNull(onWork, "onWork");
        return workSignal.subscribe(onWork);
    }

    /** Closes the store's connections, and the client when the store made it from a URI. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ownsLink) {
            workSignal.close();
            link.close();
        }
    }

    /**
     * The prefix every key of this store starts with: "{keyPrefix}", a Cluster hash tag (on a Cluster, that of the
     * store-wide keys; each slot group's keys start with "{keyPrefix|group}").
     */
    String keyBase() {
        return keyBase;
    }

    Clock clock() {
        return clock;
    }

    long agingStepMillis() {
        return agingStepMillis;
    }

    /** Refuses a payload larger than this store takes, naming the job. */
    void checkPayload(NewJob job) {
        EnqueueCall.checkPayload(job, maxPayloadBytes);
    }

    @Override
    public String toString() {
        return "RedisJobStore{keyBase=" + keyBase + ", agingStepMillis=" + agingStepMillis + ", clock="
                + (clock == null ? "redis TIME" : clock) + '}';
    }

    /** A key of this store: its key base and the suffix (the names common.lua gives, see README.md). */
    byte[] key(String suffix) {
        return (keyBase + suffix).getBytes(StandardCharsets.UTF_8);
    }

    byte[] jobKey(JobId id) {
        return key("job:" + id);
    }

    /**
     * Settings of a {@link RedisJobStore}. Not thread-safe; {@link #build()} validates, connects, loads the
     * scripts, and may be called more than once (one store per call).
     */
    public static final class Builder {
        private static final Duration MAX_AGING_STEP = Duration.ofDays(365);

        private RedisURI uri;
        private RedisClient client;
        private List<RedisURI> clusterUris;
        private RedisClusterClient clusterClient;
        private final Map<String, String> groupOfQueue = new LinkedHashMap<>();
        private String keyPrefix = "sluice:";
        private Clock clock;
        private Duration agingStep = Duration.ofSeconds(60);
        private Duration pollInterval = Duration.ofSeconds(1);
        private int retainFinished = 10_000;
        private int maxPayloadBytes = 1024 * 1024;
        private boolean allowEvictingMemoryPolicy;

        private Builder() {
        }

        /** Where Redis is, e.g. {@code redis://127.0.0.1:6379}; the store makes and closes its own client. */
        public Builder uri(String uri) {
            return uri(RedisURI.create(Objects.requireNonNull(uri, "uri")));
        }

        /** Where Redis is; the store makes and closes its own client. */
        public Builder uri(RedisURI uri) {
            this.uri = uri;
            return this;
        }

        /**
         * A Lettuce client to open the store's connections from (one for commands, one for pub/sub when
         * subscribed). The store closes its connections, never the client. Wins over {@link #uri}.
         */
        public Builder client(RedisClient client) {
            this.client = client;
            return this;
        }

        /**
         * A Redis Cluster, by the URIs of one or more of its nodes (Lettuce finds the others), e.g.
         * {@code "redis://10.0.0.1:6379", "redis://10.0.0.2:6379"}. The store makes and closes its own
         * {@link RedisClusterClient}, which refreshes its view of the slots when Redis answers MOVED or ASK and after
         * reconnects (failovers). See the class comment and README.md, "Redis Cluster".
         */
        public Builder clusterUri(String... uris) {
            List<RedisURI> seeds = new ArrayList<>();
            for (String each : Objects.requireNonNull(uris, "uris")) {
                seeds.add(RedisURI.create(Objects.requireNonNull(each, "null cluster URI")));
            }
            this.clusterUris = List.copyOf(seeds);
            return this;
        }

        /**
         * A Lettuce Cluster client to open the store's connections from. The store closes its connections, never
         * the client. Wins over {@link #clusterUri}.
         */
        public Builder clusterClient(RedisClusterClient clusterClient) {
            this.clusterClient = clusterClient;
            return this;
        }

        /**
         * On a Cluster, puts the keys of these queues under one hash tag, {@code {<keyPrefix>|<group>}}, so that
         * they live in one slot: dependency graphs may then span them, a claim over them is one script, and their
         * unique keys are one space. A queue in no group is a group of its own, named after the queue. Group names
         * are 1 to 64 of a-z 0-9 _ -; a queue may be in one group only. May be called once per group.
         */
        public Builder queueGroup(String group, String... queues) {
            SlotLayout.addGroup(groupOfQueue, group, queues);
            return this;
        }

        /**
         * What every key of the store starts with (inside a hash tag: keys are "{prefix}..."); stores with
         * different prefixes share nothing. 1 to 64 of a-z A-Z 0-9 _ : . -, default "sluice:".
         */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * The clock the store reads "now" from, sent to the scripts with each call. Default none: the scripts read
         * Redis's TIME, one clock for all nodes, which is what production wants.
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * How much earlier a job of one priority level must have become ready to go before a job one level higher
         * (see {@link Priority}). Default 60 s; 1 ms to 365 days. All stores on one prefix must use the same.
         */
        public Builder agingStep(Duration agingStep) {
            this.agingStep = agingStep;
            return this;
        }

        /** How often subscribers are called even without a pub/sub message (a fallback). Default 1 s. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        /** How many SUCCEEDED and CANCELLED jobs are kept for queries, oldest-finished dropped first. Default 10,000. */
        public Builder retainFinished(int retainFinished) {
            this.retainFinished = retainFinished;
            return this;
        }

        /** The largest payload accepted, in bytes. Default 1 MiB; at most 512 MiB (Redis's string limit). */
        public Builder maxPayloadBytes(int maxPayloadBytes) {
            this.maxPayloadBytes = maxPayloadBytes;
            return this;
        }

        /**
         * Lets the store start although Redis's {@code maxmemory-policy} is an {@code allkeys-*} policy, which
         * may evict job keys (lost jobs). Default false: the store refuses to start.
         */
        public Builder allowEvictingMemoryPolicy(boolean allow) {
            this.allowEvictingMemoryPolicy = allow;
            return this;
        }

        /**
         * Validates, connects and loads the scripts (on a Cluster, on every node).
         *
         * @throws IllegalArgumentException naming the field and the value when a setting is out of range, when
         *                                  both a server and a Cluster are set, or queue groups without a Cluster
         * @throws IllegalStateException    when Redis's maxmemory-policy may evict keys (see
         *                                  {@link #allowEvictingMemoryPolicy})
         */
        public RedisJobStore build() {
            boolean server = uri != null || client != null;
            boolean cluster = clusterUris != null || clusterClient != null;
            if (!server && !cluster) {
                throw new IllegalArgumentException("uri, client, clusterUri or clusterClient must be set: "
                        + "where is Redis?");
            }
            if (server && cluster) {
                throw new IllegalArgumentException("both one server (uri or client) and a Cluster (clusterUri or "
                        + "clusterClient) are set; set one");
            }
            if (clusterUris != null && clusterUris.isEmpty()) {
                throw new IllegalArgumentException("clusterUri was given no URI");
            }
            if (!cluster && !groupOfQueue.isEmpty()) {
                throw new IllegalArgumentException("queueGroup " + groupOfQueue + " applies to a Redis Cluster "
                        + "store only (set clusterUri or clusterClient)");
            }
            if (keyPrefix == null || !KEY_PREFIX.matcher(keyPrefix).matches()) {
                throw new IllegalArgumentException("keyPrefix must match " + KEY_PREFIX.pattern()
                        + " but was " + (keyPrefix == null ? "null" : "'" + keyPrefix + "'"));
            }
            if (agingStep == null || agingStep.compareTo(Duration.ofMillis(1)) < 0
                    || agingStep.compareTo(MAX_AGING_STEP) > 0) {
                throw new IllegalArgumentException("agingStep must be between 1 ms and 365 days but was " + agingStep);
            }
            if (pollInterval == null || pollInterval.toMillis() < 1) {
                throw new IllegalArgumentException("pollInterval must be at least 1 ms but was " + pollInterval);
            }
            if (retainFinished < 0) {
                throw new IllegalArgumentException("retainFinished must be >= 0 but was " + retainFinished);
            }
            if (maxPayloadBytes < 0 || maxPayloadBytes > 512 * 1024 * 1024) {
                throw new IllegalArgumentException("maxPayloadBytes must be in 0..536870912 but was "
                        + maxPayloadBytes);
            }
            RedisLink link = RedisLink.open(uri, client, clusterUris, clusterClient);
            try {
                if (!allowEvictingMemoryPolicy) {
                    link.refuseEvictingMemoryPolicy();
                }
                return new RedisJobStore(this, link, cluster ? new SlotLayout(keyPrefix, groupOfQueue) : null);
            } catch (RuntimeException e) {
                link.close();
                throw e;
            }
        }
    }
}
