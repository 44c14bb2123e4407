package dev.sluice.dashboard.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.util.Map;

/** Writes the API's views and reads its small request bodies. Thread-safe. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    static ConsoleResponse ok(Object value) {
        return response(200, value);
    }

    static ConsoleResponse error(int status, String message) {
        return response(status, Map.of("error", message));
    }

    static ConsoleResponse response(int status, Object value) {
        try {
            return ConsoleResponse.of(status, "application/json; charset=utf-8", MAPPER.writeValueAsBytes(value))
                    .withHeader("Cache-Control", "no-store");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The body as a JSON object. */
    static JsonNode object(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw new BadRequestException("the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new BadRequestException("the body is not JSON: " + e.getMessage());
        }
    }
}
