package dev.sluice.redis;

import dev.sluice.SluiceException;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The store's connection to Redis: one server ({@link RedisClient}) or a Cluster ({@link RedisClusterClient}),
 * seen through the command interfaces both share. On a Cluster, Lettuce sends each keyed command (EVALSHA with its
 * key included) to the master that owns the key's slot and follows MOVED/ASK redirections; SCRIPT LOAD goes to
 * every node. One multiplexed connection, thread-safe.
 */
final class RedisLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

    private final StatefulConnection<byte[], byte[]> connection;
    private final RedisClusterCommands<byte[], byte[]> sync;
    private final RedisClusterAsyncCommands<byte[], byte[]> async;
    private final RedisClient client;
    private final RedisClusterClient clusterClient;
    private final boolean ownsClient;

    private RedisLink(StatefulConnection<byte[], byte[]> connection, RedisClusterCommands<byte[], byte[]> sync,
                      RedisClusterAsyncCommands<byte[], byte[]> async, RedisClient client,
                      RedisClusterClient clusterClient, boolean ownsClient) {
        this.connection = connection;
        this.sync = sync;
        this.async = async;
        this.client = client;
        this.clusterClient = clusterClient;
        this.ownsClient = ownsClient;
    }

    /**
     * Connects as the builder says: to one server ({@code client}, else a client of its own on {@code uri}) or to
     * a Cluster ({@code clusterClient}, else a client of its own on the seeds {@code clusterUris}). A client of its
     * own is shut down by {@link #close}, or at once when the connection fails.
     */
    static RedisLink open(RedisURI uri, RedisClient client, List<RedisURI> clusterUris,
                          RedisClusterClient clusterClient) {
        if (client != null) {
            return connect(client, false);
        }
        if (clusterClient != null) {
            return connect(clusterClient, false);
        }
        if (uri != null) {
            RedisClient own = RedisClient.create(uri);
            try {
                return connect(own, true);
            } catch (RuntimeException e) {
                own.shutdown();
                throw e;
            }
        }
        RedisClusterClient own = RedisClusterClient.create(clusterUris);
        // follows slot moves and failovers: the adaptive refreshes (MOVED, ASK, reconnects) are all on
        own.setOptions(ClusterClientOptions.builder().topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                .enableAllAdaptiveRefreshTriggers().build()).build());
        try {
            return connect(own, true);
        } catch (RuntimeException e) {
            own.shutdown();
            throw e;
        }
    }

    /** Connects to one server; {@link #close} shuts the client down only when {@code ownsClient}. */
    static RedisLink connect(RedisClient client, boolean ownsClient) {
        StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
        return new RedisLink(connection, connection.sync(), connection.async(), client, null, ownsClient);
    }

    /** Connects to a Cluster; {@link #close} shuts the client down only when {@code ownsClient}. */
    static RedisLink connect(RedisClusterClient client, boolean ownsClient) {
        StatefulRedisClusterConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
        return new RedisLink(connection, connection.sync(), connection.async(), null, client, ownsClient);
    }

    boolean cluster() {
        return clusterClient != null;
    }

    RedisClusterCommands<byte[], byte[]> sync() {
        return sync;
    }

    RedisClusterAsyncCommands<byte[], byte[]> async() {
        return async;
    }

    /** A new pub/sub connection (on a Cluster: to one node, which hears what is published on any node). */
    StatefulRedisPubSubConnection<String, String> connectPubSub() {
        return cluster() ? clusterClient.connectPubSub(StringCodec.UTF8) : client.connectPubSub(StringCodec.UTF8);
    }

    /** The commands of each master (the one server when not a Cluster), for what is read per server. */
    List<RedisClusterCommands<byte[], byte[]>> masters() {
        if (!cluster()) {
            return List.of(sync);
        }
        StatefulRedisClusterConnection<byte[], byte[]> cluster =
                (StatefulRedisClusterConnection<byte[], byte[]>) connection;
        List<RedisClusterCommands<byte[], byte[]>> masters = new ArrayList<>();
        for (RedisClusterNode node : cluster.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                masters.add(cluster.getConnection(node.getNodeId()).sync());
            }
        }
        return masters;
    }

    /**
     * Refuses a Redis whose {@code maxmemory-policy} is an {@code allkeys-*} policy (evicted keys are lost jobs),
     * checked on every master of a Cluster: any of them may hold jobs. Only warns when CONFIG GET is refused.
     *
     * @throws IllegalStateException naming the policy and what to change
     */
    void refuseEvictingMemoryPolicy() {
        for (RedisClusterCommands<byte[], byte[]> server : masters()) {
            String policy;
            try {
                policy = server.configGet("maxmemory-policy").get("maxmemory-policy");
            } catch (RuntimeException e) {
                LOG.warn("Cannot read Redis's maxmemory-policy (CONFIG GET refused: {}); make sure it is "
                        + "noeviction, since an evicted key is a lost job", e.getMessage());
                return;
            }
            if (policy != null && policy.startsWith("allkeys-")) {
                throw new IllegalStateException("Redis's maxmemory-policy is '" + policy + "': Redis may evict job "
                        + "keys and lose jobs. Set it to 'noeviction' (CONFIG SET maxmemory-policy noeviction), or "
                        + "build the store with allowEvictingMemoryPolicy(true) if you accept losing jobs");
            }
        }
    }

    /** Waits for pipelined replies within the connection's timeout; {@code what} names them in the error. */
    void awaitAll(List<? extends RedisFuture<?>> replies, String what) {
        long timeoutMillis = timeout().toMillis();
        if (!LettuceFutures.awaitAll(timeoutMillis, TimeUnit.MILLISECONDS, replies.toArray(new RedisFuture[0]))) {
            throw new SluiceException("Redis did not answer " + replies.size() + " " + what + " within "
                    + timeoutMillis + " ms");
        }
    }

    /** The reply of a future that {@link #awaitAll} has waited for. */
    <T> T get(RedisFuture<T> reply) {
        return LettuceFutures.awaitOrCancel(reply, timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    Duration timeout() {
        return connection.getTimeout();
    }

    @Override
    public void close() {
        connection.close();
        if (ownsClient) {
            if (cluster()) {
                clusterClient.shutdown();
            } else {
                client.shutdown();
            }
        }
    }
}
