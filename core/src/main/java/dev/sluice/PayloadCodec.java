package dev.sluice;

import dev.sluice.internal.codec.StandardPayloadCodec;

/**
 * Turns payloads and results into bytes and back. Never Java serialization.
 *
 * <p>{@link #standard()} handles null, {@code String} (UTF-8) and {@code byte[]} itself, and any other type as
 * JSON through Jackson when jackson-databind is on the classpath. Implementations must be thread-safe.
 */
public interface PayloadCodec {

    /**
     * @return the bytes of {@code value}; null encodes as an empty array
     * @throws IllegalArgumentException when the value's type cannot be encoded, naming the type
     */
    byte[] encode(Object value);

    /**
     * @return the value of {@code type} that {@code bytes} hold (null for an empty array of a non-array type)
     * @throws IllegalArgumentException when the bytes are not a valid {@code type}
     */
    <T> T decode(byte[] bytes, Class<T> type);

    /** The built-in codec: String, byte[], and JSON via Jackson when present. */
    static PayloadCodec standard() {
        return StandardPayloadCodec.INSTANCE;
    }
}
