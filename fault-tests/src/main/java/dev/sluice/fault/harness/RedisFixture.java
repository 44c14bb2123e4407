package dev.sluice.fault.harness;

import dev.sluice.JobId;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** The Redis store on a redis-server of the run's own; the run's keys start with {@code {fault:}}. */
public final class RedisFixture extends ServerFixture {

    private static final String PREFIX = "fault:";
    private static final String BASE = "{" + PREFIX + "}";

    private final RedisServer server;
    private final RedisClient client;

    private RedisFixture(RedisServer server) {
        this.server = server;
        this.client = RedisClient.create(server.uri());
    }

    public static RedisFixture start(String name) {
        return new RedisFixture(RedisServer.start(name));
    }

    public RedisServer server() {
        return server;
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public String nodeUrl() {
        return "redis://127.0.0.1:" + nodePort();
    }

    @Override
    public String directUrl() {
        return server.uri();
    }

    @Override
    public String prefix() {
        return PREFIX;
    }

    @Override
    int serverPort() {
        return server.port();
    }

    @Override
    public void crashAndRestart() {
        server.kill();
        server.start();
    }

    /** Redis's used memory in bytes ({@code INFO memory}). */
    public long usedMemory() {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            for (String line : connection.sync().info("memory").split("\r?\n")) {
                if (line.startsWith("used_memory:")) {
                    return Long.parseLong(line.substring("used_memory:".length()).trim());
                }
            }
            throw new IllegalStateException("INFO memory of " + server + " has no used_memory");
        }
    }

    /** {@code CONFIG SET maxmemory}; 0 lifts the limit. */
    public void maxMemory(long bytes) {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().configSet("maxmemory", Long.toString(bytes));
        }
    }

    @Override
    public void corruptPayload(JobId id, byte[] bytes) {
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            byte[] key = (BASE + "job:" + id).getBytes(StandardCharsets.UTF_8);
            if (connection.sync().exists(key) != 1) {
                throw new IllegalStateException("no job " + id + " to corrupt");
            }
            connection.sync().hset(key, "d".getBytes(StandardCharsets.UTF_8), bytes);
        }
    }

    @Override
    public List<String> invariantViolations() {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.setTimeout(Duration.ofMinutes(2));
            return new RedisInvariants(connection.sync(), connection.async(), BASE).check();
        }
    }

    @Override
    void closeServer() {
        client.shutdown();
        server.close();
    }

    @Override
    public String toString() {
        return server.toString();
    }
}
