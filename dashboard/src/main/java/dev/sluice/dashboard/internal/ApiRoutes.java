package dev.sluice.dashboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.dashboard.internal.ConsoleViews.JobDetail;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON API below {@code /api/}: reads by GET, changes by POST. Security (authentication, read-only mode,
 * CSRF) is checked by {@link Console} before a change reaches {@link #post}.
 */
final class ApiRoutes {

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 500;

    private final ConsoleBackend backend;
    private final ChartSampler sampler;

    ApiRoutes(ConsoleBackend backend, ChartSampler sampler) {
        this.backend = backend;
        this.sampler = sampler;
    }

    /** A read; empty when no route matches. */
    Optional<ConsoleResponse> get(String path, Map<String, String> query) {
        String[] parts = segments(path);
        switch (parts.length) {
            case 1:
                return getTopLevel(parts[0], query);
            case 2:
                if (parts[0].equals("jobs")) {
                    JobId id = jobId(parts[1]);
                    return Optional.of(backend.job(id).map(Json::ok)
                            .orElseGet(() -> Json.error(404, "no job " + id)));
                }
                return Optional.empty();
            default:
                return Optional.empty();
        }
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
            case "batches":
                return Optional.of(Json.ok(backend.batches()));
            case "jobs":
                return Optional.of(Json.ok(backend.jobs(state(query.get("state")), blankToNull(query.get("queue")),
                        blankToNull(query.get("type")), optionalJobId(query.get("after")), limit(query.get("limit")))));
            default:
                return Optional.empty();
        }
    }

    /** A change; empty when no route matches. */
    Optional<ConsoleResponse> post(String path, byte[] body) {
        String[] parts = segments(path);
        if (parts.length != 3) {
            return Optional.empty();
        }
        if (parts[0].equals("jobs")) {
            return jobAction(jobId(parts[1]), parts[2], body);
        }
        if (parts[0].equals("queues")) {
            String queue = parts[1];
            switch (parts[2]) {
                case "pause":
                    backend.pauseQueue(queue);
                    return Optional.of(Json.ok(Map.of("ok", true, "queue", queue, "paused", true)));
                case "resume":
                    backend.resumeQueue(queue);
                    return Optional.of(Json.ok(Map.of("ok", true, "queue", queue, "paused", false)));
                default:
                    return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private Optional<ConsoleResponse> jobAction(JobId id, String action, byte[] body) {
        boolean done;
        String refusal;
        switch (action) {
            case "cancel":
                done = backend.cancel(id);
                refusal = "job " + id + " cannot be cancelled: it has finished or is unknown";
                break;
            case "retry":
                done = backend.retry(id);
                refusal = "job " + id + " cannot be retried: only DEAD and CANCELLED jobs can";
                break;
            case "reprioritize":
                Priority priority = priority(Json.object(body).path("priority").asText(null));
                done = backend.reprioritize(id, priority);
                refusal = "job " + id + " cannot be reprioritized: it has started or is unknown";
                break;
            default:
                return Optional.empty();
        }
        if (!done) {
            return Optional.of(Json.error(409, refusal));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ok", true);
        result.put("job", backend.job(id).map(JobDetail::job).orElse(null));
        return Optional.of(Json.ok(result));
    }

    private static String[] segments(String path) {
        String rest = path.substring("/api/".length());
        if (rest.isEmpty() || rest.endsWith("/")) {
            return new String[0];
        }
        return rest.split("/", -1);
    }

    private static JobId jobId(String text) {
        try {
            return JobId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static JobId optionalJobId(String text) {
        return text == null || text.isBlank() ? null : jobId(text);
    }

    private static JobState state(String text) {
        if (text == null || text.isBlank() || text.equalsIgnoreCase("all")) {
            return null;
        }
        try {
            return JobState.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("state must be one of WAITING, SCHEDULED, READY, RUNNING, SUCCEEDED, "
                    + "DEAD, CANCELLED or all but was '" + text + "'");
        }
    }

    private static Priority priority(String text) {
        if (text == null) {
            throw new BadRequestException("the body must name a priority: {\"priority\": \"HIGH\"}");
        }
        try {
            return Priority.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("priority must be LOW, NORMAL, HIGH or CRITICAL but was '" + text + "'");
        }
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_PAGE;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_PAGE) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below with the value
        }
        throw new BadRequestException("limit must be a number in 1.." + MAX_PAGE + " but was '" + text + "'");
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
