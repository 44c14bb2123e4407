package dev.sluice.dashboard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The UI's files, read from the jar once at start. Only the files named here are served, so no request path
 * reaches the class path or the file system.
 */
final class StaticFiles {

    private static final String ROOT = "/dev/sluice/dashboard/ui/";
    private static final Map<String, String> FILES = Map.ofEntries(
            Map.entry("/", "index.html"),
            Map.entry("/ui/favicon.svg", "favicon.svg"),
            Map.entry("/ui/app.css", "app.css"),
            Map.entry("/ui/app.js", "app.js"),
            Map.entry("/ui/events.js", "events.js"),
            Map.entry("/ui/api.js", "api.js"),
            Map.entry("/ui/dom.js", "dom.js"),
            Map.entry("/ui/actions.js", "actions.js"),
            Map.entry("/ui/bulk.js", "bulk.js"),
            Map.entry("/ui/cluster.js", "cluster.js"),
            Map.entry("/ui/charts.js", "charts.js"),
            Map.entry("/ui/graph.js", "graph.js"),
            Map.entry("/ui/overview.js", "overview.js"),
            Map.entry("/ui/jobs.js", "jobs.js"),
            Map.entry("/ui/job.js", "job.js"),
            Map.entry("/ui/lists.js", "lists.js"));

    private record File(String contentType, byte[] bytes) {
    }

    private final Map<String, File> files = new HashMap<>();

    StaticFiles() {
        FILES.forEach((path, name) -> files.put(path, new File(contentType(name), read(name))));
    }

    Optional<ConsoleResponse> get(String path) {
        File body = files.get(path);
        if (body == null) {
            return Optional.empty();
        }
        // Revalidate on every load: a new dashboard version must not run with an old script.
        return Optional.of(ConsoleResponse.of(200, body.contentType(), body.bytes())
                .withHeader("Cache-Control", "no-cache"));
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard resource " + ROOT + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard resource " + ROOT + name, e);
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return "image/svg+xml";
    }
}
