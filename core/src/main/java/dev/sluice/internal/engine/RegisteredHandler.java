package dev.sluice.internal.engine;

import dev.sluice.JobHandler;
import dev.sluice.RetryPolicy;

import java.time.Duration;

/** A job type as this node knows it: handler, payload class, retry policy and default attempt timeout. */
record RegisteredHandler(String type, Class<?> payloadType, JobHandler<Object> handler, RetryPolicy retryPolicy,
                         Duration timeout) {

    /** The retry policy of jobs of {@code handler}'s type: its own, else the engine's default. */
    static RetryPolicy retryPolicyOf(RegisteredHandler handler, RetryPolicy engineDefault) {
        return handler != null && handler.retryPolicy() != null ? handler.retryPolicy() : engineDefault;
    }

    long timeoutMillis() {
        return timeout == null ? 0 : timeout.toMillis();
    }
}
