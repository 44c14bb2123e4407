package dev.sluice.dashboard.internal;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Cross-site request forgery protection for every call that changes something, three ways at once:
 * <ol>
 *   <li>a session cookie ({@code HttpOnly; SameSite=Strict}) that another site's page cannot make the browser
 *       send;</li>
 *   <li>a token bound to that session (an HMAC of it under a key made at start) that the UI reads from
 *       {@code /api/session} and sends in the {@value #TOKEN_HEADER} header, which a cross-site form cannot
 *       set;</li>
 *   <li>an {@code Origin} header that must name the dashboard's own host (or an allowed origin).</li>
 * </ol>
 * Stateless: nothing is kept per session, so sessions cost no memory and survive nothing but a restart.
 */
final class CsrfGuard {

    static final String COOKIE = "sluice_session";
    static final String TOKEN_HEADER = "X-Sluice-Csrf";

    private final SecureRandom random = new SecureRandom();
    private final byte[] key = new byte[32];
    private final Set<String> allowedOrigins;

    CsrfGuard(Set<String> allowedOrigins) {
        random.nextBytes(key);
        this.allowedOrigins = allowedOrigins;
    }

    /** The request's session id when its cookie is one this guard could have issued, else empty. */
    Optional<String> session(ConsoleRequest request) {
        return request.cookie(COOKIE).filter(id -> id.matches("[A-Za-z0-9_-]{43}"));
    }

    /** A new random session id. */
    String newSession() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String cookie(String session, boolean secure) {
        return COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    String token(String session) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(session.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }

    /** Why a state-changing request is refused, or empty when it may proceed. */
    Optional<String> refusal(ConsoleRequest request) {
        Optional<String> origin = request.header("Origin");
        if (origin.isEmpty()) {
            return Optional.of("a change needs an Origin header");
        }
        if (!sameOrigin(origin.get(), request.header("Host").orElse(""))) {
            return Optional.of("origin '" + origin.get() + "' may not make changes");
        }
        Optional<String> session = session(request);
        if (session.isEmpty()) {
            return Optional.of("a change needs the session cookie: load the dashboard first");
        }
        String given = request.header(TOKEN_HEADER).orElse("");
        byte[] expected = token(session.get()).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of("missing or wrong " + TOKEN_HEADER + " token");
        }
        return Optional.empty();
    }

    private boolean sameOrigin(String origin, String host) {
        String normalized = origin.toLowerCase(Locale.ROOT);
        if (allowedOrigins.contains(normalized)) {
            return true;
        }
        try {
            URI uri = URI.create(normalized);
            if (uri.getScheme() == null || uri.getRawAuthority() == null) {
                return false;
            }
            return (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    && uri.getRawAuthority().equals(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
