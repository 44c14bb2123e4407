package dev.sluice.redis;

import dev.sluice.Priority;
import dev.sluice.store.ClaimBatch;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.QueueClaim;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A claim over queues of several slot groups of a Cluster store. claim.lua merges queues by sort key within one
 * group; across groups this class first reads the heads of the asked queues (every group at once, pipelined reads,
 * no writes), merges them by sort key as claim.lua would, and so decides how many jobs each group gives; then
 * each group with a share runs claim.lua for that many, and the jobs are merged by sort key.
 *
 * <p>Without concurrent claims the result is the one claim over one slot would give, except that tenant bounds
 * are applied by each group's script only (the heads read ignore them, so a group held back by a tenant bound gives
 * fewer). Concurrent claimers may take heads in between: a group then gives fewer, never more, than its share.
 */
final class ClusterClaim {

    private static final Comparator<Head> SORT_ORDER = Comparator.comparingLong(Head::sortKey)
            .thenComparing(Head::id);
    private static final byte[] PRIORITY_FIELD = {'p'};

    private final RedisLink link;
    private final Clock clock;
    private final long agingStepMillis;
    private final Function<String, RedisJobStore> groupStore;

    ClusterClaim(RedisLink link, Clock clock, long agingStepMillis, Function<String, RedisJobStore> groupStore) {
        this.link = link;
        this.clock = clock;
        this.agingStepMillis = agingStepMillis;
        this.groupStore = groupStore;
    }

    /** A claim of the queues of {@code byGroup} (group to its queues' bounds, two groups or more). */
    ClaimBatch claim(ClaimRequest request, Map<String, List<QueueClaim>> byGroup) {
        Peek peek = peek(request, byGroup);
        Map<String, Integer> shares = shares(request, byGroup, peek.heads);
        List<ClaimedJob> claimed = new ArrayList<>();
        long nextRunAt = peek.nextRunAt;
        for (Map.Entry<String, Integer> share : shares.entrySet()) {
            ClaimBatch batch = groupStore.apply(share.getKey()).claim(new ClaimRequest(request.nodeId(),
                    request.leaseMillis(), share.getValue(), byGroup.get(share.getKey())));
            claimed.addAll(batch.jobs());
            nextRunAt = earliest(nextRunAt, batch.nextRunAtMillis());
        }
        claimed.sort(Comparator.comparingLong((ClaimedJob j) -> j.priority().sortKey(j.readyAtMillis(),
                agingStepMillis)).thenComparing(ClaimedJob::id));
        return claimed.isEmpty() && nextRunAt == 0 ? ClaimBatch.empty()
                : new ClaimBatch(List.copyOf(claimed), nextRunAt);
    }

    /** How many jobs each group gives: the asked bounds applied to the heads in sort-key order. */
    private static Map<String, Integer> shares(ClaimRequest request, Map<String, List<QueueClaim>> byGroup,
                                               List<Head> heads) {
        Map<String, Integer> maxOfQueue = new HashMap<>();
        for (List<QueueClaim> queues : byGroup.values()) {
            for (QueueClaim queue : queues) {
                maxOfQueue.putIfAbsent(queue.queue(), queue.max()); // a queue named twice: its first bounds
            }
        }
        Map<String, Integer> takenOfQueue = new HashMap<>();
        Map<String, Integer> shares = new LinkedHashMap<>();
        int total = 0;
        for (Head head : heads) {
            if (total >= request.maxTotal()) {
                break;
            }
            int taken = takenOfQueue.getOrDefault(head.queue(), 0);
            if (taken < maxOfQueue.get(head.queue())) {
                takenOfQueue.put(head.queue(), taken + 1);
                shares.merge(head.group(), 1, Integer::sum);
                total++;
            }
        }
        return shares;
    }

    /** The due heads of the asked, not paused queues in sort-key order, and the earliest later run-at. */
    private Peek peek(ClaimRequest request, Map<String, List<QueueClaim>> byGroup) {
        List<QueueHeads> reads = new ArrayList<>();
        List<RedisFuture<?>> replies = new ArrayList<>();
        for (Map.Entry<String, List<QueueClaim>> entry : byGroup.entrySet()) {
            RedisJobStore store = groupStore.apply(entry.getKey());
            for (QueueClaim queue : entry.getValue()) {
                int limit = Math.min(queue.max(), request.maxTotal());
                if (limit > 0) {
                    QueueHeads read = new QueueHeads(entry.getKey(), queue.queue(), store, limit);
                    reads.add(read);
                    replies.addAll(read.futures());
                }
            }
        }
        link.awaitAll(replies, "queue head reads");
        long now = clock != null ? clock.millis() : System.currentTimeMillis();
        Peek peek = new Peek();
        List<Head> dueScheduled = new ArrayList<>();
        for (QueueHeads read : reads) {
            if (link.get(read.paused)) {
                continue;
            }
            for (int w = 0; w < 4; w++) {
                for (ScoredValue<byte[]> member : link.get(read.ready.get(w))) {
                    peek.heads.add(new Head(read.group, read.queue, text(member), (long) member.getScore()
                            - w * agingStepMillis));
                }
            }
            for (ScoredValue<byte[]> member : link.get(read.scheduled)) {
                long runAt = (long) member.getScore();
                if (runAt <= now) {
                    dueScheduled.add(new Head(read.group, read.queue, text(member), runAt));
                } else {
                    peek.nextRunAt = earliest(peek.nextRunAt, runAt);
                }
            }
        }
        peek.heads.addAll(withPriority(dueScheduled));
        peek.heads.sort(SORT_ORDER);
        return peek;
    }

    /** Due SCHEDULED jobs become READY with their run-at as ready-at: their sort key needs their priority. */
    private List<Head> withPriority(List<Head> dueScheduled) {
        List<RedisFuture<byte[]>> priorities = new ArrayList<>(dueScheduled.size());
        for (Head head : dueScheduled) {
            priorities.add(link.async().hget(groupStore.apply(head.group()).key("job:" + head.id()), PRIORITY_FIELD));
        }
        link.awaitAll(priorities, "priority reads");
        List<Head> heads = new ArrayList<>(dueScheduled.size());
        for (int i = 0; i < dueScheduled.size(); i++) {
            byte[] weight = link.get(priorities.get(i));
            if (weight != null) { // else: gone since the read
                Head head = dueScheduled.get(i);
                long sortKey = Priority.ofWeight((int) Replies.parseLong(weight)).sortKey(head.sortKey(),
                        agingStepMillis);
                heads.add(new Head(head.group(), head.queue(), head.id(), sortKey));
            }
        }
        return heads;
    }

    private static long earliest(long a, long b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    private static String text(ScoredValue<byte[]> member) {
        return new String(member.getValue(), StandardCharsets.UTF_8);
    }

    /** The pipelined reads of one queue's heads: four ready sets, the scheduled set, the paused flag. */
    private final class QueueHeads {
        final String group;
        final String queue;
        final List<RedisFuture<List<ScoredValue<byte[]>>>> ready = new ArrayList<>(4);
        final RedisFuture<List<ScoredValue<byte[]>>> scheduled;
        final RedisFuture<Boolean> paused;

        QueueHeads(String group, String queue, RedisJobStore store, int limit) {
            this.group = group;
            this.queue = queue;
            for (int w = 0; w < 4; w++) {
                ready.add(link.async().zrangeWithScores(store.key("ready:" + queue + ":" + w), 0, limit - 1));
            }
            scheduled = link.async().zrangeWithScores(store.key("sched:" + queue), 0, limit - 1);
            paused = link.async().sismember(store.key("paused"), queue.getBytes(StandardCharsets.UTF_8));
        }

        List<RedisFuture<?>> futures() {
            List<RedisFuture<?>> all = new ArrayList<>(ready);
            all.add(scheduled);
            all.add(paused);
            return all;
        }
    }

    /** A job at the head of a queue, with its sort key (ready-at - weight * aging step). */
    private record Head(String group, String queue, String id, long sortKey) {
    }

    private static final class Peek {
        final List<Head> heads = new ArrayList<>();
        long nextRunAt;
    }
}
