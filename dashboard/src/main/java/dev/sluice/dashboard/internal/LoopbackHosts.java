package dev.sluice.dashboard.internal;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Tells whether a {@code Host} header names this machine by a loopback name: {@code localhost}, a {@code 127.x}
 * address or {@code [::1]}, or the host of a configured allowed origin. Without an authenticator the console
 * answers only such requests, so that a site whose name an attacker points at 127.0.0.1 (DNS rebinding) gets
 * nothing.
 */
final class LoopbackHosts {

    private LoopbackHosts() {
    }

    static boolean isLoopbackHost(String hostHeader, Set<String> allowedOrigins) {
        String host = withoutPort(hostHeader.trim().toLowerCase(Locale.ROOT));
        if (host.equals("localhost") || host.endsWith(".localhost") || host.equals("[::1]")
                || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            return true;
        }
        for (String origin : allowedOrigins) {
            String allowed = URI.create(origin).getHost();
            if (allowed != null && allowed.equalsIgnoreCase(host)) {
                return true;
            }
        }
        return false;
    }

    private static String withoutPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}
