package dev.sluice.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides who may use the dashboard. Called for every request, static files included, before anything else;
 * must be thread-safe and fast. The dashboard has no default credentials: without an authenticator it only
 * answers on loopback addresses.
 *
 * <pre>{@code
 * DashboardAuthenticator.basic("ops", System.getenv("DASHBOARD_PASSWORD"))
 * DashboardAuthenticator.bearerToken(System.getenv("DASHBOARD_TOKEN"))
 * DashboardAuthenticator.serverPrincipal()      // a servlet container's own login
 * }</pre>
 */
@FunctionalInterface
public interface DashboardAuthenticator {

    /**
     * @return the user's name when the request carries valid credentials, else empty (the request gets 401)
     */
    Optional<String> authenticate(DashboardRequest request);

    /** The {@code WWW-Authenticate} value sent with a 401, or null for none. */
    default String challenge() {
        return null;
    }

    /**
     * HTTP Basic authentication of one user. Browsers ask for the credentials and send them with every request;
     * use it over HTTPS (a TLS-terminating proxy) off a trusted network. Credentials are compared in constant
     * time.
     *
     * @throws IllegalArgumentException when the user name is blank or contains ':', or the password is shorter
     *                                  than 12 characters
     */
    static DashboardAuthenticator basic(String user, String password) {
        if (user == null || user.isBlank() || user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("basic auth user must be non-blank without ':' but was "
                    + (user == null ? "null" : "'" + user + "'"));
        }
        if (password == null || password.length() < 12) {
            throw new IllegalArgumentException("basic auth password must have at least 12 characters but had "
                    + (password == null ? "none" : String.valueOf(password.length())));
        }
        byte[] expected = sha256("Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return new DashboardAuthenticator() {
            @Override
            public Optional<String> authenticate(DashboardRequest request) {
                String given = request.header("Authorization").orElse("");
                // Hash both sides so that the comparison takes the same time whatever the length of the guess.
                return MessageDigest.isEqual(expected, sha256(given)) ? Optional.of(user) : Optional.empty();
            }

            @Override
            public String challenge() {
                return "Basic realm=\"Sluice dashboard\", charset=\"UTF-8\"";
            }
        };
    }

    /**
     * A shared secret sent as {@code Authorization: Bearer <token>}: for scripts and for a proxy that adds the
     * header. Compared in constant time.
     *
     * @throws IllegalArgumentException when the token is shorter than 24 characters
     */
    static DashboardAuthenticator bearerToken(String token) {
        if (token == null || token.length() < 24) {
            throw new IllegalArgumentException("bearer token must have at least 24 characters but had "
                    + (token == null ? "none" : String.valueOf(token.length())));
        }
        byte[] expected = sha256("Bearer " + token);
        return request -> MessageDigest.isEqual(expected, sha256(request.header("Authorization").orElse("")))
                ? Optional.of("token") : Optional.empty();
    }

    /**
     * Trusts the servlet container's own authentication (security constraints in web.xml, or the framework
     * around the servlet): for {@link DashboardServlet}. Requests without a principal are refused.
     */
    static DashboardAuthenticator serverPrincipal() {
        return DashboardRequest::serverPrincipal;
    }

    private static byte[] sha256(String text) {
        Objects.requireNonNull(text);
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
