package dev.sluice.dashboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.JobId;
import dev.sluice.dashboard.internal.ConsoleViews.ActionRow;
import dev.sluice.dashboard.internal.ConsoleViews.JobDetail;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.sluice.dashboard.internal.ApiParams.jobIds;
import static dev.sluice.dashboard.internal.ApiParams.priority;
import static dev.sluice.dashboard.internal.ApiParams.segments;

/**
 * The JSON API's changes below {@code /api/} (POST). {@link Console} checks authentication, read-only mode and
 * CSRF proof before a request reaches {@link #post}, so every route here is guarded alike.
 */
final class ChangeRoutes {

    static final long DEFAULT_FLUSH_MILLIS = 5_000;
    /** A flush holds one of the server's few threads while it waits. */
    static final long MAX_FLUSH_MILLIS = 30_000;

    private static final byte[] EMPTY_OBJECT = {'{', '}'};
    private static final List<String> OUTCOMES = List.of("DONE", "REQUESTED", "REFUSED", "NOT_FOUND");

    private final ConsoleBackend backend;

    ChangeRoutes(ConsoleBackend backend) {
        this.backend = backend;
    }

    /** A change; empty when no route matches. */
    Optional<ConsoleResponse> post(String path, byte[] body) {
        String[] parts = segments(path);
        if (parts.length == 1) {
            switch (parts[0]) {
                case "purge":
                    return Optional.of(Json.ok(backend.purgeNow()));
                case "flush":
                    return Optional.of(flush(object(body)));
                default:
                    return Optional.empty();
            }
        }
        if (parts.length == 2 && parts[0].equals("jobs")) {
            return bulk(parts[1], body);
        }
        if (parts.length == 3 && parts[0].equals("jobs")) {
            return single(ApiParams.jobId(parts[1]), parts[2], body);
        }
        if (parts.length == 3 && parts[0].equals("queues")) {
            return queueAction(parts[1], parts[2], body);
        }
        return Optional.empty();
    }

    /** Many jobs at once: 200 with one outcome per id, whatever each outcome is. */
    private Optional<ConsoleResponse> bulk(String action, byte[] body) {
        List<ActionRow> results;
        switch (action) {
            case "retry":
                results = backend.retry(jobIds(object(body)));
                break;
            case "cancel":
                results = backend.cancel(jobIds(object(body)));
                break;
            case "reprioritize":
                JsonNode request = object(body);
                results = backend.reprioritize(jobIds(request), priority(request));
                break;
            default:
                return Optional.empty();
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        OUTCOMES.forEach(outcome -> counts.put(outcome, 0));
        results.forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("action", action);
        answer.put("counts", counts);
        answer.put("results", results);
        return Optional.of(Json.ok(answer));
    }

    /** One job: 200 when done or requested, 409 when its state refuses, 404 when unknown. */
    private Optional<ConsoleResponse> single(JobId id, String action, byte[] body) {
        List<JobId> ids = List.of(id);
        ActionRow result;
        String refusal;
        switch (action) {
            case "cancel":
                result = backend.cancel(ids).get(0);
                refusal = "cannot be cancelled: it has finished";
                break;
            case "retry":
                result = backend.retry(ids).get(0);
                refusal = "cannot be retried: only DEAD and CANCELLED jobs can";
                break;
            case "reprioritize":
                result = backend.reprioritize(ids, priority(object(body))).get(0);
                refusal = "cannot be reprioritized: it has started";
                break;
            default:
                return Optional.empty();
        }
        switch (result.outcome()) {
            case "NOT_FOUND":
                return Optional.of(Json.error(404, "no job " + id));
            case "REFUSED":
                return Optional.of(Json.error(409, "job " + id + " is " + result.state() + " and " + refusal));
            default:
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("ok", true);
                answer.put("outcome", result.outcome());
                answer.put("job", backend.job(id).map(JobDetail::job).orElse(null));
                return Optional.of(Json.ok(answer));
        }
    }

    private Optional<ConsoleResponse> queueAction(String queue, String action, byte[] body) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ok", true);
        answer.put("queue", queue);
        switch (action) {
            case "pause":
                backend.pauseQueue(queue);
                answer.put("paused", true);
                break;
            case "resume":
                backend.resumeQueue(queue);
                answer.put("paused", false);
                break;
            case "drain":
                // Naming the queue in the body makes a drain a deliberate act, not a stray or replayed click.
                String confirm = object(body).path("confirm").asText(null);
                if (!queue.equals(confirm)) {
                    throw new BadRequestException("a drain cancels every job of the queue that has not started; "
                            + "confirm it with {\"confirm\": \"" + queue + "\"} (confirm was "
                            + (confirm == null ? "missing" : "'" + confirm + "'") + ")");
                }
                answer.put("cancelled", backend.drainQueue(queue));
                break;
            default:
                return Optional.empty();
        }
        return Optional.of(Json.ok(answer));
    }

    private ConsoleResponse flush(JsonNode body) {
        JsonNode given = body.path("timeoutMillis");
        long millis = DEFAULT_FLUSH_MILLIS;
        if (!given.isMissingNode() && !given.isNull()) {
            if (!given.canConvertToLong() || !given.isIntegralNumber() || given.asLong() < 0
                    || given.asLong() > MAX_FLUSH_MILLIS) {
                throw new BadRequestException("timeoutMillis must be a whole number in 0.." + MAX_FLUSH_MILLIS
                        + " but was " + given);
            }
            millis = given.asLong();
        }
        boolean flushed = backend.flush(Duration.ofMillis(millis));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ok", true);
        answer.put("flushed", flushed);
        answer.put("timeoutMillis", millis);
        return Json.ok(answer);
    }

    /** An empty body counts as {@code {}}: pause, purge and flush need nothing. */
    private static JsonNode object(byte[] body) {
        return Json.object(body.length == 0 ? EMPTY_OBJECT : body);
    }
}
