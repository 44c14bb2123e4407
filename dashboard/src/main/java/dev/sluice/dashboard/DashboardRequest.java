package dev.sluice.dashboard;

import java.net.InetAddress;
import java.util.Optional;

/**
 * What an {@link DashboardAuthenticator} sees of an HTTP request to the dashboard, whichever server carries it
 * (the JDK's HTTP server or a servlet container). Read-only.
 */
public interface DashboardRequest {

    /** The HTTP method, upper case. */
    String method();

    /** The path below the dashboard's root, starting with {@code /}. */
    String path();

    /** The first value of a header (names are case-insensitive), or empty. */
    Optional<String> header(String name);

    /** The client's address. */
    InetAddress remoteAddress();

    /** The user a servlet container authenticated (its login), or empty; always empty on the JDK server. */
    Optional<String> serverPrincipal();
}
