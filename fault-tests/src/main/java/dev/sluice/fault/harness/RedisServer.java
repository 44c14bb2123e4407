package dev.sluice.fault.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} from the PATH, of the harness's own, on a free loopback port in a temporary directory.
 * By default it persists every write to an append-only file before it answers ({@code appendfsync always}: what
 * the Redis store's README asks of deployments that must not lose jobs), so that a kill -9 and a restart on the
 * same directory lose nothing acknowledged. {@code maxmemory-policy noeviction}, as the store requires.
 */
public final class RedisServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static RedisServer start(String name) {
        try {
            RedisServer server = new RedisServer(Files.createTempDirectory("sluice-fault-redis-" + name + "-"),
                    Commands.freePort());
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make a temporary directory for Redis: " + e.getMessage(), e);
        }
    }

    /** Starts the server (again, after {@link #kill}) on its directory, and waits until it answers PING. */
    public synchronized void start() {
        List<String> command = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1", "--port",
                Integer.toString(port), "--dir", dir.toString(), "--save", "", "--appendonly", "yes",
                "--appendfsync", "always", "--maxmemory-policy", "noeviction"));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server from the PATH (" + e.getMessage()
                    + "); install Redis 7 (apt-get install redis-server)", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"+PONG".equals(command("PING"))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not start on port " + port + ":\n"
                        + Commands.tail(dir.resolve("redis.log")));
            }
            pause();
        }
    }

    /** Kills the server with SIGKILL: what it had not yet written to its append-only file is gone. */
    public synchronized void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /**
     * Sends one inline command (words without spaces) and returns the first line of the reply, or null when the
     * server does not answer.
     */
    public String command(String... words) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write((String.join(" ", words) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        } catch (IOException e) {
            return null;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            kill();
        }
        Commands.deleteTree(dir);
    }

    @Override
    public String toString() {
        return "Redis on 127.0.0.1:" + port + " in " + dir;
    }
}
