package dev.sluice.internal.codec;

import dev.sluice.PayloadCodec;

import java.nio.charset.StandardCharsets;

/**
 * null, String (UTF-8) and byte[] natively; any other type through Jackson when jackson-databind is on the
 * classpath. Never Java serialization.
 */
public final class StandardPayloadCodec implements PayloadCodec {

    public static final StandardPayloadCodec INSTANCE = new StandardPayloadCodec();

    private static final byte[] EMPTY = new byte[0];

    private final PayloadCodec json;

    private StandardPayloadCodec() {
        this.json = JacksonSupport.codecIfPresent();
    }

    @Override
    public byte[] encode(Object value) {
        if (value == null) {
            return EMPTY;
        }
        if (value instanceof String) {
            String s = (String) value;
            return s.isEmpty() ? EMPTY : s.getBytes(StandardCharsets.UTF_8);
        }
        if (value instanceof byte[]) {
            return (byte[]) value;
        }
        if (json == null) {
            throw new IllegalArgumentException("cannot encode payload of type " + value.getClass().getName()
                    + ": the standard codec handles String and byte[], and other types only when"
                    + " jackson-databind is on the classpath (or give the engine your own PayloadCodec)");
        }
        return json.encode(value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T decode(byte[] bytes, Class<T> type) {
        if (type == byte[].class) {
            return (T) bytes;
        }
        if (bytes == null || bytes.length == 0) {
            return type == String.class ? (T) "" : null;
        }
        if (type == String.class) {
            return (T) new String(bytes, StandardCharsets.UTF_8);
        }
        if (type == Void.class) {
            return null;
        }
        if (json == null) {
            throw new IllegalArgumentException("cannot decode payload as " + type.getName()
                    + ": jackson-databind is not on the classpath");
        }
        return json.decode(bytes, type);
    }
}
