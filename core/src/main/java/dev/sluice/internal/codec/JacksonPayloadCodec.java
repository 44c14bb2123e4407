package dev.sluice.internal.codec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.PayloadCodec;

import java.io.IOException;

/**
 * JSON through Jackson. Polymorphic typing stays off: the target class always comes from the handler's
 * registration, never from the bytes, so a payload cannot make the engine instantiate a class of its choice.
 */
final class JacksonPayloadCodec implements PayloadCodec {

    private final ObjectMapper mapper = JsonMapper.builder()
            .findAndAddModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Override
    public byte[] encode(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode " + value.getClass().getName() + " as JSON: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public <T> T decode(byte[] bytes, Class<T> type) {
        try {
            return mapper.readValue(bytes, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot decode JSON as " + type.getName() + ": "
                    + e.getMessage(), e);
        }
    }
}
