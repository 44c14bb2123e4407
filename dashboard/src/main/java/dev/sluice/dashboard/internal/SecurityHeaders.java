package dev.sluice.dashboard.internal;

/**
 * Headers on every response. The policy allows scripts, styles, images and fetches from the dashboard itself
 * only: no inline script or style (the UI has none), no framing, no plugins, no form posts.
 */
final class SecurityHeaders {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    static ConsoleResponse apply(ConsoleResponse response) {
        return response
                .withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("X-Frame-Options", "DENY")
                .withHeader("Referrer-Policy", "no-referrer")
                .withHeader("Cross-Origin-Opener-Policy", "same-origin")
                .withHeader("Cross-Origin-Resource-Policy", "same-origin")
                .withHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    }
}
