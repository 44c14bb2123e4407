package dev.sluice.redis;

import io.lettuce.core.RedisURI;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server from the PATH that a test owns: on a free loopback port, in a temporary directory, with the
 * settings the test gives. It can be killed (SIGKILL, as a crash) and started again on the same port and
 * directory; {@link #close} stops it and deletes the directory.
 */
final class RedisServerProcess implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final List<String> settings;
    private Process process;

    private RedisServerProcess(Path dir, int port, List<String> settings) {
        this.dir = dir;
        this.port = port;
        this.settings = settings;
    }

    /**
     * Starts a server with these extra settings, e.g. {@code "--appendonly", "yes"} (default: no persistence).
     *
     * @throws IllegalStateException when no redis-server can be started from the PATH
     */
    static RedisServerProcess start(String... settings) {
        try {
            RedisServerProcess server = new RedisServerProcess(Files.createTempDirectory("sluice-redis-test"),
                    freePort(), List.of(settings));
            server.startAgain();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a redis-server from the PATH (" + e.getMessage()
                    + "); install Redis 7 (apt-get install redis-server)", e);
        }
    }

    RedisURI uri() {
        return RedisURI.create("127.0.0.1", port);
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    /** Starts the server (again) on its port and directory and waits until it answers PING. */
    void startAgain() {
        List<String> command = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1", "--port",
                Integer.toString(port), "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        command.addAll(settings); // later settings win
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(dir.toFile(), "redis.log"))).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!answers(port)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server did not start on port " + port + "; see "
                            + dir.resolve("redis.log"));
                }
                Thread.sleep(20);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting redis-server", e);
        }
    }

    /** SIGKILL: the server dies without a chance to write anything more, as in a crash or power loss. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

    /** True when something on the loopback port answers PING with PONG. */
    static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(1_000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            int read = socket.getInputStream().read(reply);
            return read >= 5 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }
}
