package dev.sluice.dashboard.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static dev.sluice.dashboard.internal.ApiParams.blankToNull;
import static dev.sluice.dashboard.internal.ApiParams.jobId;
import static dev.sluice.dashboard.internal.ApiParams.limit;
import static dev.sluice.dashboard.internal.ApiParams.optionalJobId;
import static dev.sluice.dashboard.internal.ApiParams.segments;
import static dev.sluice.dashboard.internal.ApiParams.state;

/** The JSON API's reads below {@code /api/} (GET); authentication is checked by {@link Console} first. */
final class ReadRoutes {

    private final ConsoleBackend backend;
    private final ChartSampler sampler;

    ReadRoutes(ConsoleBackend backend, ChartSampler sampler) {
        this.backend = backend;
        this.sampler = sampler;
    }

    /** A read; empty when no route matches. */
    Optional<ConsoleResponse> get(String path, Map<String, String> query) {
        String[] parts = segments(path);
        if (parts.length == 1) {
            return getTopLevel(parts[0], query);
        }
        if (parts.length == 2 && parts[0].equals("jobs")) {
            var id = jobId(parts[1]);
            return Optional.of(backend.job(id).map(Json::ok).orElseGet(() -> Json.error(404, "no job " + id)));
        }
        return Optional.empty();
    }

    private Optional<ConsoleResponse> getTopLevel(String name, Map<String, String> query) {
        switch (name) {
            case "overview":
                Map<String, Object> overview = new LinkedHashMap<>();
                overview.put("overview", backend.overview());
                overview.put("series", sampler.series());
                return Optional.of(Json.ok(overview));
            case "metrics":
                return Optional.of(Json.ok(sampler.series()));
            case "health":
                return Optional.of(Json.ok(backend.health()));
            case "queues":
                return Optional.of(Json.ok(backend.queues()));
            case "alerts":
                return Optional.of(Json.ok(backend.alerts()));
            case "nodes":
                return Optional.of(Json.ok(backend.nodes()));
            case "cluster":
                return Optional.of(Json.ok(backend.cluster()));
            case "recurring":
                return Optional.of(Json.ok(backend.recurring()));
            case "batches":
                return Optional.of(Json.ok(backend.batches()));
            case "jobs":
                return Optional.of(Json.ok(backend.jobs(state(query.get("state")), blankToNull(query.get("queue")),
                        blankToNull(query.get("type")), optionalJobId(query.get("after")), limit(query.get("limit")))));
            default:
                return Optional.empty();
        }
    }
}
