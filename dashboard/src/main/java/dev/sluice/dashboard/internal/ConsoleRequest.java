package dev.sluice.dashboard.internal;

import dev.sluice.dashboard.DashboardRequest;

import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request, taken off whichever server carried it, so that the console's rules are written once.
 *
 * @param method     upper-case method
 * @param path       path below the dashboard's root, starting with "/" (still percent-encoded)
 * @param rawQuery   the query string or null
 * @param headers    header values by lower-case name
 * @param body       the request body (empty for GET)
 * @param remote     the client's address
 * @param local      the address the request arrived on
 * @param principal  the server's authenticated user or null
 */
public record ConsoleRequest(String method, String path, String rawQuery, Map<String, List<String>> headers,
                             byte[] body, InetAddress remote, InetAddress local, String principal)
        implements DashboardRequest {

    /** The largest body read: a bulk call's 500 ids take about 20 KiB; every other body is a few bytes. */
    public static final int MAX_BODY_BYTES = 32 * 1024;

    public ConsoleRequest {
        Map<String, List<String>> lower = new HashMap<>();
        headers.forEach((name, values) -> {
            if (name != null && values != null) {
                lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>()).addAll(values);
            }
        });
        headers = Map.copyOf(lower);
        method = method.toUpperCase(Locale.ROOT);
    }

    @Override
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    @Override
    public InetAddress remoteAddress() {
        return remote;
    }

    @Override
    public Optional<String> serverPrincipal() {
        return Optional.ofNullable(principal);
    }

    /** Decoded query parameters (the first value of each). */
    public Map<String, String> query() {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(name, value);
        }
        return params;
    }

    /** The value of a cookie, or empty. */
    public Optional<String> cookie(String name) {
        for (String header : headers.getOrDefault("cookie", List.of())) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(name + "=")) {
                    return Optional.of(p.substring(name.length() + 1));
                }
            }
        }
        return Optional.empty();
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("malformed query parameter '" + text + "'");
        }
    }
}
