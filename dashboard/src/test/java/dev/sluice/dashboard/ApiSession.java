package dev.sluice.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * What a browser holds after loading the dashboard: the session cookie and its CSRF token, from
 * {@code api/session}; {@link #post} makes a change the way the UI does.
 *
 * @param root   the dashboard's root URI (ending in "/")
 * @param cookie the {@code name=value} of the session cookie
 * @param token  the CSRF token
 */
record ApiSession(HttpClient http, URI root, String cookie, String token) {

    static ApiSession open(HttpClient http, URI root) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(root.resolve("api/session")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("api/session answered " + response.statusCode() + ": " + response.body());
        }
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return new ApiSession(http, root, setCookie.substring(0, setCookie.indexOf(';')),
                new ObjectMapper().readTree(response.body()).get("csrfToken").asText());
    }

    /** The origin of the root, as a browser sends it. */
    String origin() {
        return root.getScheme() + "://" + root.getRawAuthority();
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body, "Content-Type", "application/json", "Cookie", cookie, "X-Sluice-Csrf", token,
                "Origin", origin());
    }

    /** A POST with exactly these headers (none added). */
    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(root.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
