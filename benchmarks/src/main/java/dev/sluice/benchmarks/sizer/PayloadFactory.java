package dev.sluice.benchmarks.sizer;

/**
 * Makes the payload of the sizer's n-th job (job handlers) or its n-th record (batch handlers). Called from one
 * feeding thread at a time. The plain command loads it by class name: it then needs a public no-argument
 * constructor, and {@link #payloadClass()} names the class that job payloads are decoded to.
 *
 * @param <T> the payload or record type
 */
@FunctionalInterface
public interface PayloadFactory<T> {

    /** The payload of job (or record) number {@code index}, counting from 0; null means no payload (jobs only). */
    T create(long index);

    /** The class that job payloads are decoded to (the handler's payload type). Default {@code Object}. */
    default Class<?> payloadClass() {
        return Object.class;
    }
}
