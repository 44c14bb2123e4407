package dev.sluice.dashboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads the API's paths, query parameters and body fields; a bad value is a {@link BadRequestException} naming it. */
final class ApiParams {

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 500;
    /** Ids one bulk call takes: a full page of the largest size. */
    static final int MAX_BULK_IDS = MAX_PAGE;

    private ApiParams() {
    }

    /** The path's segments below {@code /api/}; none for a path that ends in "/". */
    static String[] segments(String path) {
        String rest = path.substring("/api/".length());
        if (rest.isEmpty() || rest.endsWith("/")) {
            return new String[0];
        }
        return rest.split("/", -1);
    }

    static JobId jobId(String text) {
        try {
            return JobId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    static JobId optionalJobId(String text) {
        return text == null || text.isBlank() ? null : jobId(text);
    }

    /** The {@code ids} array of a bulk body, without repeats, in order. */
    static List<JobId> jobIds(JsonNode body) {
        JsonNode ids = body.path("ids");
        if (!ids.isArray() || ids.isEmpty()) {
            throw new BadRequestException("the body must list job ids: {\"ids\": [\"...\"]} but had "
                    + (ids.isMissingNode() ? "no ids" : "ids " + clip(ids.toString())));
        }
        if (ids.size() > MAX_BULK_IDS) {
            throw new BadRequestException("at most " + MAX_BULK_IDS + " ids per call but got " + ids.size());
        }
        Set<JobId> unique = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            if (!id.isTextual()) {
                throw new BadRequestException("id " + i + " must be a string but was " + clip(id.toString()));
            }
            unique.add(jobId(id.asText()));
        }
        return new ArrayList<>(unique);
    }

    static JobState state(String text) {
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

    /** The body's {@code priority}. */
    static Priority priority(JsonNode body) {
        String text = body.path("priority").asText(null);
        if (text == null) {
            throw new BadRequestException("the body must name a priority: {\"priority\": \"HIGH\"}");
        }
        try {
            return Priority.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("priority must be LOW, NORMAL, HIGH or CRITICAL but was '" + text + "'");
        }
    }

    static int limit(String text) {
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

    static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /** Bad values are echoed in messages; a huge one is cut so that an error stays readable. */
    private static String clip(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
