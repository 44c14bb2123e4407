package dev.sluice.dashboard.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** Carries the console on the JDK's built-in HTTP server. */
public final class JdkServerHandler implements HttpHandler {

    private final Console console;

    public JdkServerHandler(Console console) {
        this.console = console;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = readBounded(exchange.getRequestBody());
            ConsoleRequest request = new ConsoleRequest(exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), body, exchange.getRemoteAddress().getAddress(),
                    exchange.getLocalAddress().getAddress(), null);
            ConsoleResponse response = body.length > ConsoleRequest.MAX_BODY_BYTES
                    ? ConsoleResponse.text(413, "Request body too large.")
                    : console.handle(request, exchange instanceof HttpsExchange);
            for (Map.Entry<String, String> header : response.headers().entrySet()) {
                exchange.getResponseHeaders().set(header.getKey(), header.getValue());
            }
            boolean head = request.method().equals("HEAD");
            exchange.sendResponseHeaders(response.status(),
                    head || response.body().length == 0 ? -1 : response.body().length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        }
    }

    /** Reads at most one byte more than allowed, so that an oversized body is told apart without reading it all. */
    private static byte[] readBounded(InputStream in) throws IOException {
        return in.readNBytes(ConsoleRequest.MAX_BODY_BYTES + 1);
    }
}
