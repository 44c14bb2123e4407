package dev.sluice.dashboard;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.Sluice;
import dev.sluice.dashboard.internal.Console;
import dev.sluice.dashboard.internal.JdkServerHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Sluice web console on the JDK's built-in HTTP server: a JSON API under {@code /api/} and a single-page UI,
 * over one engine.
 *
 * <pre>{@code
 * try (Dashboard dashboard = Dashboard.start(sluice, DashboardConfig.defaults())) {
 *     System.out.println("dashboard at " + dashboard.uri());   // http://127.0.0.1:8090/
 *     ...
 * }
 * }</pre>
 *
 * <p>It listens on {@code 127.0.0.1} unless configured otherwise and refuses to listen elsewhere without an
 * authenticator (see {@link DashboardConfig}). Closing it stops the server and the chart sampler, never the
 * engine. Thread-safe. In a servlet container, use {@link DashboardServlet} instead.
 */
public final class Dashboard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);

    private final HttpServer server;
    private final ExecutorService workers;
    private final Console console;
    private final URI uri;

    private Dashboard(HttpServer server, ExecutorService workers, Console console) {
        this.server = server;
        this.workers = workers;
        this.console = console;
        InetSocketAddress bound = server.getAddress();
        String host = bound.getAddress().getHostAddress();
        this.uri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort() + "/");
    }

    /**
     * Binds the configured address and port and starts serving.
     *
     * @throws UncheckedIOException when the address cannot be bound (port in use...)
     */
    public static Dashboard start(Sluice sluice, DashboardConfig config) {
        Console console = Console.over(sluice, config);
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.port());
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (IOException e) {
            throw new UncheckedIOException("dashboard cannot listen on " + address, e);
        }
        AtomicInteger threads = new AtomicInteger();
        // A few threads: the console is for people, and a slow store call must not hold up every page.
        ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "sluice-dashboard-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", new JdkServerHandler(console));
        server.start();
        console.start();
        Dashboard dashboard = new Dashboard(server, workers, console);
        LOG.info("Sluice dashboard at {} ({}{})", dashboard.uri,
                config.authenticator().isPresent() ? "authenticator set" : "loopback only, no authenticator",
                config.readOnly() ? ", read-only" : "");
        return dashboard;
    }

    /** Where it listens, for example {@code http://127.0.0.1:8090/}. */
    public URI uri() {
        return uri;
    }

    /** The bound address and port (the real port when 0 was configured). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops the server (requests in progress are cut off) and the sampler. Idempotent. */
    @Override
    public synchronized void close() {
        if (workers.isShutdown()) {
            return;
        }
        console.close();
        server.stop(0);
        workers.shutdownNow();
    }
}
