package dev.sluice.redis;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the keys of a Cluster store live (README.md, "Redis Cluster"). Each queue belongs to one <i>slot group</i>:
 * the group named for it by {@link RedisJobStore.Builder#queueGroup}, else a group of its own named after the
 * queue. A group's keys all start with {@code {<keyPrefix>|<group>}}, one hash tag, so every script of the group
 * runs in one slot; the store-wide keys (slot group registry, leader leases, nodes, rate limits, result cache) start
 * with {@code {<keyPrefix>}}. '|' is not allowed in a key prefix, so no prefix's keys can be read as another's.
 */
final class SlotLayout {

    private static final Pattern GROUP = Pattern.compile("[a-z0-9_-]{1,64}");

    private final String keyPrefix;
    private final Map<String, String> groupOfQueue;

    SlotLayout(String keyPrefix, Map<String, String> groupOfQueue) {
        this.keyPrefix = keyPrefix;
        this.groupOfQueue = Map.copyOf(groupOfQueue);
    }

    /**
     * Adds a queue group to a queue-to-group map being built.
     *
     * @throws IllegalArgumentException naming the value when the group's name is not 1 to 64 of a-z 0-9 _ -, it
     *                                  names no queue, a queue name is empty or holds a brace, or a queue is
     *                                  already in another group
     */
    static void addGroup(Map<String, String> groupOfQueue, String group, String... queues) {
        Objects.requireNonNull(queues, "queues");
        if (group == null || !GROUP.matcher(group).matches()) {
            throw new IllegalArgumentException("queueGroup name must match " + GROUP.pattern() + " but was "
                    + (group == null ? "null" : "'" + group + "'"));
        }
        if (queues.length == 0) {
            throw new IllegalArgumentException("queueGroup '" + group + "' names no queue");
        }
        for (String queue : queues) {
            if (queue == null || queue.isEmpty() || queue.indexOf('{') >= 0 || queue.indexOf('}') >= 0) {
                throw new IllegalArgumentException("queueGroup '" + group + "' names queue "
                        + (queue == null ? "null" : "'" + queue + "'")
                        + ", but a queue name must be non-empty and hold no '{' or '}'");
            }
            String earlier = groupOfQueue.putIfAbsent(queue, group);
            if (earlier != null && !earlier.equals(group)) {
                throw new IllegalArgumentException("queue '" + queue + "' is named in queueGroup '" + earlier
                        + "' and in queueGroup '" + group + "': a queue lives in one group");
            }
        }
    }

    /**
     * The slot group of a queue.
     *
     * @throws IllegalArgumentException naming the queue when it holds '{' or '}', which would end the hash tag
     */
    String groupOf(String queue) {
        String group = groupOfQueue.get(queue);
        if (group != null) {
            return group;
        }
        if (queue.indexOf('{') >= 0 || queue.indexOf('}') >= 0) {
            throw new IllegalArgumentException("queue name '" + queue + "' holds '{' or '}', which a Redis Cluster "
                    + "store cannot put inside its hash tag; nothing was stored");
        }
        return queue;
    }

    /** What every key of the group starts with: {@code {<keyPrefix>|<group>}}. */
    String keyBase(String group) {
        return "{" + keyPrefix + "|" + group + "}";
    }

    /** The pattern of every group's work channel (PSUBSCRIBE): {@code {<keyPrefix>|*}work}. */
    String workChannels() {
        return "{" + keyPrefix + "|*}work";
    }

    /** The set of every slot group that ever held a key: {@code {<keyPrefix>}groups}. */
    byte[] registryKey() {
        return ("{" + keyPrefix + "}groups").getBytes(StandardCharsets.UTF_8);
    }
}
