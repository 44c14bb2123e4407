package dev.sluice.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import dev.sluice.store.JobStore;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;

/**
 * A Redis Cluster of three masters that the tests own: three redis-server processes from the PATH with
 * {@code --cluster-enabled yes}, each on a free loopback port in a temporary directory (its own nodes.conf, no
 * persistence), joined by {@code redis-cli --cluster create ... --cluster-replicas 0 --cluster-yes} and ready once
 * {@code CLUSTER INFO} says {@code cluster_state:ok} on every node. {@link #shared()} is the one the test classes
 * share, started on first use and stopped (processes and directories) when the JVM exits.
 */
final class LocalRedisCluster implements AutoCloseable {

    static final int MASTERS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(LocalRedisCluster.class);
    private static LocalRedisCluster shared;

    private final List<RedisServerProcess> servers;
    private final RedisClusterClient client;
    private final List<RedisClient> nodeClients = new ArrayList<>();
    private final List<StatefulRedisConnection<String, String>> nodes = new ArrayList<>();

    private LocalRedisCluster(List<RedisServerProcess> servers) {
        this.servers = servers;
        this.client = RedisClusterClient.create(uris());
        for (RedisServerProcess server : servers) {
            RedisClient nodeClient = RedisClient.create(server.uri());
            nodeClients.add(nodeClient);
            nodes.add(nodeClient.connect());
        }
    }

    /**
     * Skips the calling test class, saying why, when no cluster can be started here: redis-server or redis-cli is
     * not on the PATH. (Both are on the dev machine and on CI, where the cluster tests run.)
     */
    static void assumeAvailable() {
        for (String tool : List.of("redis-server", "redis-cli")) {
            Assumptions.assumeTrue(onPath(tool), tool + " is not on the PATH: the Redis Cluster tests need Redis 7 "
                    + "(apt-get install redis-server)");
        }
    }

    static synchronized LocalRedisCluster shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "local-redis-cluster-stop"));
        }
        return shared;
    }

    /** Starts three masters, creates the cluster and waits until every node says cluster_state:ok. */
    static LocalRedisCluster start() {
        long started = System.nanoTime();
        List<RedisServerProcess> servers = new ArrayList<>();
        try {
            for (int i = 0; i < MASTERS; i++) {
                servers.add(RedisServerProcess.start("--cluster-enabled", "yes", "--cluster-config-file",
                        "nodes.conf"));
            }
            createCluster(servers);
            for (RedisServerProcess server : servers) {
                awaitClusterOk(server);
            }
        } catch (RuntimeException e) {
            servers.forEach(RedisServerProcess::close);
            throw e;
        }
        LocalRedisCluster cluster = new LocalRedisCluster(servers);
        LOG.info("Local Redis Cluster of {} masters on 127.0.0.1 ports {} ready in {} ms", MASTERS, cluster.ports(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return cluster;
    }

    /** A Cluster store on {@link #shared()} with the default layout, under a fresh key prefix. */
    static RedisJobStore newStore(Clock clock, Duration agingStep) {
        return newStore(TestRedis.freshPrefix(), clock, agingStep, builder -> { });
    }

    /**
     * A Cluster store on {@link #shared()} under {@code keyPrefix} with the tests' clock and a 200 ms poll interval;
     * {@code settings} may change more (queue groups...). Close it with {@link #closeStore}.
     */
    static RedisJobStore newStore(String keyPrefix, Clock clock, Duration agingStep,
                                  Consumer<RedisJobStore.Builder> settings) {
        RedisJobStore.Builder builder = RedisJobStore.builder().clusterClient(shared().client()).keyPrefix(keyPrefix)
                .clock(clock).agingStep(agingStep).pollInterval(Duration.ofMillis(200));
        settings.accept(builder);
        return builder.build();
    }

    /** Closes a store made by {@link #newStore} and deletes its keys on every master. */
    static void closeStore(JobStore store) {
        store.close();
        shared().deleteKeys(keyPrefix((RedisJobStore) store));
    }

    /** The key prefix of a store (its key base without the braces). */
    static String keyPrefix(RedisJobStore store) {
        String base = store.keyBase();
        return base.substring(1, base.length() - 1);
    }

    /** The port of the master that holds a key's slot. */
    int masterOf(String key) {
        return client.getPartitions().getMasterBySlot(SlotHash.getSlot(key)).getUri().getPort();
    }

    /** One client for the tests (each store opens its own connection from it); closed with the cluster. */
    RedisClusterClient client() {
        return client;
    }

    List<RedisURI> uris() {
        List<RedisURI> uris = new ArrayList<>();
        for (RedisServerProcess server : servers) {
            uris.add(server.uri());
        }
        return uris;
    }

    List<Integer> ports() {
        List<Integer> ports = new ArrayList<>();
        for (RedisServerProcess server : servers) {
            ports.add(server.port());
        }
        return ports;
    }

    /**
     * Runs {@code action} on a plain connection to each master (no redirections: a command on a key of another
     * master's slot fails with MOVED), in the order of {@link #ports()}.
     */
    synchronized <T> List<T> onEachMaster(Function<RedisCommands<String, String>, T> action) {
        List<T> results = new ArrayList<>();
        for (StatefulRedisConnection<String, String> node : nodes) {
            results.add(action.apply(node.sync()));
        }
        return results;
    }

    /** Runs {@code action} on a plain connection to the master on {@code port} (no redirections). */
    synchronized <T> T onMaster(int port, Function<RedisCommands<String, String>, T> action) {
        return action.apply(nodes.get(ports().indexOf(port)).sync());
    }

    /** Deletes every key of the store with this prefix, store-wide and slot-group keys alike, on every master. */
    void deleteKeys(String keyPrefix) {
        onEachMaster(redis -> {
            // "{prefix" then '}' (store-wide) or '|' (a slot group); fresh prefixes are distinct and end with ':'
            ScanArgs match = ScanArgs.Builder.matches("{" + keyPrefix + "*").limit(1000);
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, match);
                for (String key : page.getKeys()) {
                    redis.unlink(key); // one at a time: the keys of a page may hash to several slots
                }
                cursor = page;
            } while (!cursor.isFinished());
            return null;
        });
    }

    @Override
    public void close() {
        nodes.forEach(StatefulRedisConnection::close);
        nodeClients.forEach(RedisClient::shutdown);
        client.shutdown();
        servers.forEach(RedisServerProcess::close);
    }

    private static void createCluster(List<RedisServerProcess> servers) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        for (RedisServerProcess server : servers) {
            command.add("127.0.0.1:" + server.port());
        }
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        File log = servers.get(0).dir().resolve("cluster-create.log").toFile();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log)).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create did not finish in 60 s: " + read(log));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed (exit " + process.exitValue()
                        + "): " + read(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + " (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the cluster", e);
        }
    }

    /** Polls CLUSTER INFO over a plain socket (cheaper than a client per node) until the node says ok. */
    private static void awaitClusterOk(RedisServerProcess server) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> clusterInfo(server.port()).contains("cluster_state:ok"));
    }

    private static String clusterInfo(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1_000);
            socket.getOutputStream().write("CLUSTER INFO\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[4096];
            int read = socket.getInputStream().read(reply);
            return read <= 0 ? "" : new String(reply, 0, read, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String read(File log) {
        try {
            return Files.readString(log.toPath(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
