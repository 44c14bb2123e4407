package dev.sluice.redis;

import dev.sluice.JobId;
import dev.sluice.JobQuery;
import dev.sluice.JobState;
import dev.sluice.store.Dependency;
import dev.sluice.store.QueueStats;
import dev.sluice.store.StoreStats;
import dev.sluice.store.StoredJob;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The read side of {@link RedisJobStore}: job reads, keyset pages, stats and dependency edges. */
final class RedisQueries {

    private static final int LIST_SCAN_BUDGET = 100_000;
    private static final byte[] PARENTS_FIELD = {'d', 'p'};

    private final RedisLink link;
    private final RedisClusterCommands<byte[], byte[]> redis;
    private final ScriptRunner scripts;
    private final Clock clock;
    private final Function<JobId, byte[]> jobKey;
    private final Function<JobId, byte[]> childrenKey;

    RedisQueries(RedisLink link, ScriptRunner scripts, Clock clock, Function<JobId, byte[]> jobKey,
                 Function<JobId, byte[]> childrenKey) {
        this.link = link;
        this.redis = link.sync();
        this.scripts = scripts;
        this.clock = clock;
        this.jobKey = jobKey;
        this.childrenKey = childrenKey;
    }

    Optional<StoredJob> find(JobId id) {
        return Optional.ofNullable(JobHashReader.read(id, redis.hmget(jobKey.apply(id), JobHashReader.FIELDS)));
    }

    /** One pipelined round trip. */
    List<StoredJob> findAll(Collection<JobId> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<JobId> order = new ArrayList<>(ids);
        List<RedisFuture<List<KeyValue<byte[], byte[]>>>> replies = new ArrayList<>(order.size());
        for (JobId id : order) {
            replies.add(link.async().hmget(jobKey.apply(id), JobHashReader.FIELDS));
        }
        link.awaitAll(replies, "job reads");
        List<StoredJob> found = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) {
            StoredJob job = JobHashReader.read(order.get(i), link.get(replies.get(i)));
            if (job != null) {
                found.add(job);
            }
        }
        return found;
    }

    /**
     * Walks the index of job ids from {@code afterId} and reads the matching jobs: two round trips. At most
     * 100,000 ids are examined per call, so a very selective filter over a large store may return a short page;
     * the next page goes on from its last id.
     */
    List<StoredJob> list(JobQuery query) {
        Args args = new Args(6).add(query.afterId() == null ? "" : query.afterId().toString()).add(query.limit())
                .add(query.state() == null ? "" : query.state().name()).add(query.queue()).add(query.type())
                .add(LIST_SCAN_BUDGET);
        List<Object> reply = scripts.runList(Script.LIST, args.toArray());
        List<JobId> ids = new ArrayList<>(reply.size());
        for (Object id : reply) {
            ids.add(JobId.parse(Replies.toText(id)));
        }
        List<StoredJob> jobs = new ArrayList<>(findAll(ids));
        jobs.sort((a, b) -> a.id().compareTo(b.id()));
        return Collections.unmodifiableList(jobs);
    }

    /**
     * Costs no scan of jobs: the scripts keep counts per queue and state. Lists every queue the store has
     * seen, paused ones included. Due SCHEDULED jobs are counted as SCHEDULED until a claim promotes them.
     */
    StoreStats stats() {
        List<Object> reply = scripts.runList(Script.STATS, new Args(1).now(clock).toArray());
        Instant takenAt = Instant.ofEpochMilli(Replies.toLong(reply.get(0)));
        Map<String, QueueStats> queues = new HashMap<>();
        for (int b = 1; b + 3 < reply.size(); b += 4) {
            String name = Replies.toText(reply.get(b));
            boolean paused = Replies.toLong(reply.get(b + 1)) == 1;
            long oldest = Replies.toLong(reply.get(b + 2));
            @SuppressWarnings("unchecked")
            List<Object> pairs = (List<Object>) reply.get(b + 3);
            Map<JobState, Long> counts = new EnumMap<>(JobState.class);
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                long count = Replies.toLong(pairs.get(i + 1));
                if (count != 0) {
                    counts.put(JobState.valueOf(Replies.toText(pairs.get(i))), count);
                }
            }
            queues.put(name, new QueueStats(name, counts, oldest < 0 ? null : Instant.ofEpochMilli(oldest), paused));
        }
        return new StoreStats(queues, takenAt);
    }

    /** The job's 'dp' field: its edges as "<parent id>:<policy code>", comma-separated, in the order given. */
    List<Dependency> parentsOf(JobId child) {
        byte[] field = redis.hget(jobKey.apply(child), PARENTS_FIELD);
        if (field == null || field.length == 0) {
            return List.of();
        }
        String text = new String(field, StandardCharsets.US_ASCII);
        List<Dependency> edges = new ArrayList<>();
        for (String edge : text.split(",")) {
            int colon = edge.indexOf(':');
            edges.add(new Dependency(JobId.parse(edge.substring(0, colon)),
                    EnqueueCall.policyOf(edge.charAt(colon + 1))));
        }
        return List.copyOf(edges);
    }

    /** The fields of the parent's children hash, in ascending id order. */
    List<JobId> childrenOf(JobId parent) {
        List<byte[]> fields = redis.hkeys(childrenKey.apply(parent));
        List<JobId> children = new ArrayList<>(fields.size());
        for (byte[] field : fields) {
            children.add(JobId.parse(new String(field, StandardCharsets.US_ASCII)));
        }
        Collections.sort(children);
        return List.copyOf(children);
    }
}
