package dev.sluice.dashboard;

import dev.sluice.Sluice;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the dashboard does when nobody configured anything, and what it refuses to do without credentials. */
class DashboardSecurityDefaultsTest {

    @Test
    void defaultConfigurationListensOnLoopbackOnly() throws Exception {
        DashboardConfig defaults = DashboardConfig.defaults();
        assertThat(defaults.bindAddress().isLoopbackAddress()).isTrue();
        assertThat(defaults.authenticator()).isEmpty();
        assertThat(defaults.readOnly()).isFalse();

        // Bound for real with nothing but a free port chosen.
        try (Sluice sluice = Sluice.builder().producerOnly(true).build();
             Dashboard dashboard = Dashboard.start(sluice, DashboardConfig.builder().port(0).build())) {
            InetAddress bound = dashboard.address().getAddress();
            assertThat(bound.isLoopbackAddress()).as("default bind address %s", bound).isTrue();
            assertThat(bound.isAnyLocalAddress()).isFalse();
            assertThat(dashboard.uri().getHost()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void refusesToListenOffLoopbackWithoutAnAuthenticator() {
        for (String address : new String[] {"0.0.0.0", "::", "192.0.2.10"}) {
            assertThatThrownBy(() -> DashboardConfig.builder().bindAddress(address).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(address)
                    .hasMessageContaining("authenticator");
        }
        // With one it may be configured (not bound here: tests listen on loopback only).
        DashboardConfig config = DashboardConfig.builder().bindAddress("0.0.0.0")
                .authenticator(DashboardAuthenticator.bearerToken("a-long-enough-secret-token-123")).build();
        assertThat(config.bindAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void badSettingsAreRefusedWithTheValueNamed() {
        assertThatThrownBy(() -> DashboardConfig.builder().port(70_000).build()).hasMessageContaining("70000");
        assertThatThrownBy(() -> DashboardConfig.builder().sampleInterval(Duration.ofMillis(10)).build())
                .hasMessageContaining("PT0.01S");
        assertThatThrownBy(() -> DashboardConfig.builder().allowedOrigin("https://x.example/path"))
                .hasMessageContaining("https://x.example/path");
        assertThatThrownBy(() -> DashboardAuthenticator.basic("ops", "short")).hasMessageContaining("12");
        assertThatThrownBy(() -> DashboardAuthenticator.basic("a:b", "long-enough-password"))
                .hasMessageContaining("a:b");
        assertThatThrownBy(() -> DashboardAuthenticator.bearerToken("tiny")).hasMessageContaining("24");
    }

    @Test
    void anAuthenticatorGuardsEveryPathIncludingStaticFiles() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String good = "Basic " + Base64.getEncoder().encodeToString(
                "ops:correct horse battery".getBytes(StandardCharsets.UTF_8));
        String bad = "Basic " + Base64.getEncoder().encodeToString(
                "ops:wrong horse battery".getBytes(StandardCharsets.UTF_8));
        try (TestConsole console = new TestConsole(b -> b.authenticator(
                DashboardAuthenticator.basic("ops", "correct horse battery")))) {
            for (String path : new String[] {"", "ui/app.js", "api/session", "api/jobs"}) {
                HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(console.uri(path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(console.uri(path))
                        .header("Authorization", bad).build(), HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> right = http.send(HttpRequest.newBuilder(console.uri(path))
                        .header("Authorization", good).build(), HttpResponse.BodyHandlers.ofString());

                assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
                assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Basic");
                assertThat(wrong.statusCode()).as(path).isEqualTo(401);
                assertThat(right.statusCode()).as(path).isEqualTo(200);
            }
            HttpResponse<String> session = http.send(HttpRequest.newBuilder(console.uri("api/session"))
                    .header("Authorization", good).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(session.body()).contains("\"user\":\"ops\"");
        }
    }

    @Test
    void readOnlyModeRefusesChangesEvenWithCsrfProof() throws Exception {
        try (TestConsole console = new TestConsole(b -> b.readOnly(true))) {
            ApiSession session = console.session();
            var id = console.parked("echo", "keep me");

            HttpResponse<String> cancel = session.post("api/jobs/" + id + "/cancel", "{}");

            assertThat(console.get("api/session").body()).contains("\"readOnly\":true");
            assertThat(cancel.statusCode()).isEqualTo(403);
            assertThat(cancel.body()).contains("read-only");
            assertThat(console.sluice.find(id).orElseThrow().state()).isEqualTo(dev.sluice.JobState.READY);
            assertThat(console.get("api/jobs/" + id).statusCode()).isEqualTo(200);
        }
    }
}
