package dev.sluice.dashboard.internal;

import dev.sluice.Sluice;
import dev.sluice.dashboard.DashboardAuthenticator;
import dev.sluice.dashboard.DashboardConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The dashboard's request pipeline, the same on every server: authenticate, route, refuse changes in read-only
 * mode or without CSRF proof, answer, and put the security headers on every response. Thread-safe.
 */
public final class Console implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Console.class);

    private final DashboardConfig config;
    private final ReadRoutes reads;
    private final ChangeRoutes changes;
    private final StaticFiles files = new StaticFiles();
    private final CsrfGuard csrf;
    private final ChartSampler sampler;

    public Console(ConsoleBackend backend, ChartSampler sampler, DashboardConfig config) {
        this.config = config;
        this.sampler = sampler;
        this.reads = new ReadRoutes(backend, sampler);
        this.changes = new ChangeRoutes(backend);
        this.csrf = new CsrfGuard(config.allowedOrigins());
    }

    /** The console over an engine, with the chart sampler the configuration asks for (not started yet). */
    public static Console over(Sluice sluice, DashboardConfig config) {
        Objects.requireNonNull(sluice, "sluice");
        Objects.requireNonNull(config, "config");
        SluiceConsoleBackend backend = new SluiceConsoleBackend(sluice, Clock.systemUTC());
        CompletionCounts counts = config.meterRegistry().map(CompletionCounts::meters)
                .orElseGet(CompletionCounts::storeCounts);
        return new Console(backend, new ChartSampler(backend, counts, Clock.systemUTC(), config.sampleInterval()),
                config);
    }

    /** Starts sampling for the charts. */
    public void start() {
        sampler.start();
    }

    /** Stops sampling; the engine is not touched. */
    @Override
    public void close() {
        sampler.close();
    }

    /** Answers one request; never throws. {@code secure} is true when it came over HTTPS. */
    public ConsoleResponse handle(ConsoleRequest request, boolean secure) {
        ConsoleResponse response;
        try {
            response = answer(request, secure);
        } catch (BadRequestException e) {
            response = Json.error(400, e.getMessage());
        } catch (IllegalArgumentException e) {
            // The engine's own validation (a queue name, a page size) names the bad value.
            response = Json.error(400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("dashboard request {} {} failed", request.method(), request.path(), e);
            response = Json.error(500, "internal error: " + e.getClass().getSimpleName());
        }
        return SecurityHeaders.apply(response);
    }

    private ConsoleResponse answer(ConsoleRequest request, boolean secure) {
        Optional<DashboardAuthenticator> authenticator = config.authenticator();
        String user = null;
        if (authenticator.isEmpty()) {
            // Defence in depth for containers and proxies: without credentials, answer on loopback only.
            if (request.local() != null && !request.local().isLoopbackAddress()) {
                return ConsoleResponse.text(403, "This dashboard has no authenticator, so it only answers on "
                        + "loopback addresses.");
            }
            // DNS rebinding: a web page whose own name resolves to 127.0.0.1 would otherwise be same-origin here.
            if (!LoopbackHosts.isLoopbackHost(request.header("Host").orElse(""), config.allowedOrigins())) {
                return ConsoleResponse.text(403, "This dashboard has no authenticator, so it only answers requests "
                        + "addressed to localhost or a loopback address, not to '" + request.header("Host").orElse("")
                        + "'.");
            }
        } else {
            Optional<String> who = authenticator.get().authenticate(request);
            if (who.isEmpty()) {
                ConsoleResponse refused = ConsoleResponse.text(401, "Authentication required.");
                String challenge = authenticator.get().challenge();
                return challenge == null ? refused : refused.withHeader("WWW-Authenticate", challenge);
            }
            user = who.get();
        }
        String path = request.path();
        switch (request.method()) {
            case "GET":
            case "HEAD":
                if (path.equals("/api/session")) {
                    return session(request, user, secure);
                }
                if (path.startsWith("/api/")) {
                    return reads.get(path, request.query()).orElseGet(() -> Json.error(404, "no such API: " + path));
                }
                return files.get(path).orElseGet(() -> ConsoleResponse.text(404, "Not found."));
            case "POST":
                return change(request, user);
            default:
                return ConsoleResponse.text(405, "Method not allowed.").withHeader("Allow", "GET, HEAD, POST");
        }
    }

    private ConsoleResponse change(ConsoleRequest request, String user) {
        if (!request.path().startsWith("/api/")) {
            return ConsoleResponse.text(405, "Method not allowed.").withHeader("Allow", "GET, HEAD");
        }
        if (config.readOnly()) {
            return Json.error(403, "the dashboard is read-only");
        }
        Optional<String> refusal = csrf.refusal(request);
        if (refusal.isPresent()) {
            return Json.error(403, "refused: " + refusal.get());
        }
        if (request.body().length > ConsoleRequest.MAX_BODY_BYTES) {
            return Json.error(413, "the body is larger than " + ConsoleRequest.MAX_BODY_BYTES + " bytes");
        }
        ConsoleResponse response = changes.post(request.path(), request.body())
                .orElseGet(() -> Json.error(404, "no such API: POST " + request.path()));
        if (response.status() == 200) {
            LOG.info("dashboard: POST {} by {} from {}", request.path(), user == null ? "(loopback, no authenticator)" : user,
                    request.remoteAddress().getHostAddress());
        }
        return response;
    }

    /** The UI's first call: issues the session cookie when there is none, and the session's CSRF token. */
    private ConsoleResponse session(ConsoleRequest request, String user, boolean secure) {
        Optional<String> existing = csrf.session(request);
        String session = existing.orElseGet(csrf::newSession);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("csrfToken", csrf.token(session));
        body.put("readOnly", config.readOnly());
        body.put("user", user);
        ConsoleResponse response = Json.ok(body);
        return existing.isPresent() ? response : response.withHeader("Set-Cookie", csrf.cookie(session, secure));
    }
}
