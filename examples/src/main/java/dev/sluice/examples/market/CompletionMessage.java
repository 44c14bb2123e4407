package dev.sluice.examples.market;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The message a market data job prints and returns as its result when it ends:
 * {@code {"status":"SUCCEEDED","totalBatches":30,"totalAssets":3000,"processingTimeMs":412}}, with
 * {@code totalSymbols} in place of {@code totalAssets} for index data. Written and read as JSON with Jackson.
 *
 * @param status           SUCCEEDED, or FAILED when a batch could not be fetched
 * @param totalBatches     batches fetched
 * @param countField       {@code totalAssets} or {@code totalSymbols}
 * @param count            symbols fetched
 * @param processingTimeMs time from the first batch's start to the last one's end
 */
record CompletionMessage(String status, long totalBatches, String countField, long count, long processingTimeMs) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The message as one JSON object, fields in the order above. */
    String toJson() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", status);
        fields.put("totalBatches", totalBatches);
        fields.put(countField, count);
        fields.put("processingTimeMs", processingTimeMs);
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A message read back, for the caller to look at by field name. */
    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("not a completion message: " + json, e);
        }
    }
}
