package dev.sluice.dashboard.internal;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP response on its way back to whichever server carries the console. Headers may be added until the
 * adapter sends it; confined to the request's thread.
 */
public final class ConsoleResponse {

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final byte[] body;

    private ConsoleResponse(int status, String contentType, byte[] body) {
        this.status = status;
        this.body = body;
        headers.put("Content-Type", contentType);
    }

    static ConsoleResponse of(int status, String contentType, byte[] body) {
        return new ConsoleResponse(status, contentType, body);
    }

    static ConsoleResponse text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    ConsoleResponse withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    /** Header values by name, Content-Type included. */
    public Map<String, String> headers() {
        return Collections.unmodifiableMap(headers);
    }

    public byte[] body() {
        return body;
    }
}
