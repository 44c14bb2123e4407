package dev.sluice.dashboard;

import dev.sluice.Sluice;
import dev.sluice.dashboard.internal.Console;
import dev.sluice.dashboard.internal.ConsoleRequest;
import dev.sluice.dashboard.internal.ConsoleResponse;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's own guard, for servers whose address the dashboard does not choose (a servlet container): without
 * an authenticator it answers requests that arrived on loopback only.
 */
class ConsoleLoopbackGuardTest {

    private static ConsoleRequest get(String path, String local, String principal) throws Exception {
        return get(path, local, principal, "127.0.0.1:8090");
    }

    private static ConsoleRequest get(String path, String local, String principal, String host) throws Exception {
        return new ConsoleRequest("GET", path, null, Map.of("Host", List.of(host)), new byte[0],
                InetAddress.getByName("203.0.113.7"), InetAddress.getByName(local), principal);
    }

    @Test
    void withoutAuthenticatorARequestOnANonLoopbackAddressIsRefused() throws Exception {
        try (Sluice sluice = Sluice.builder().producerOnly(true).build();
             Console console = Console.over(sluice, DashboardConfig.defaults())) {
            ConsoleResponse outside = console.handle(get("/api/jobs", "192.0.2.1", null), false);
            ConsoleResponse inside = console.handle(get("/api/jobs", "127.0.0.1", null), false);

            assertThat(outside.status()).isEqualTo(403);
            assertThat(outside.headers()).containsKey("Content-Security-Policy");
            assertThat(inside.status()).isEqualTo(200);
        }
    }

    @Test
    void withoutAuthenticatorARequestForAnotherHostNameIsRefused() throws Exception {
        // A page on rebind.example whose name now resolves to 127.0.0.1 (DNS rebinding) must not read the API.
        try (Sluice sluice = Sluice.builder().producerOnly(true).build();
             Console console = Console.over(sluice, DashboardConfig.defaults())) {
            for (String host : List.of("localhost:8090", "127.0.0.1", "[::1]:8090", "app.localhost")) {
                assertThat(console.handle(get("/api/jobs", "127.0.0.1", null, host), false).status()).as(host)
                        .isEqualTo(200);
            }
            ConsoleResponse rebound = console.handle(get("/api/jobs", "127.0.0.1", null, "rebind.example:8090"), false);
            assertThat(rebound.status()).isEqualTo(403);
            assertThat(new String(rebound.body())).contains("rebind.example");
        }
        DashboardConfig proxied = DashboardConfig.builder().allowedOrigin("https://jobs.example.com").build();
        try (Sluice sluice = Sluice.builder().producerOnly(true).build();
             Console console = Console.over(sluice, proxied)) {
            assertThat(console.handle(get("/api/jobs", "127.0.0.1", null, "jobs.example.com"), false).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void serverPrincipalAuthenticatorTrustsTheContainersLogin() throws Exception {
        DashboardConfig config = DashboardConfig.builder()
                .authenticator(DashboardAuthenticator.serverPrincipal()).build();
        try (Sluice sluice = Sluice.builder().producerOnly(true).build();
             Console console = Console.over(sluice, config)) {
            assertThat(console.handle(get("/api/jobs", "192.0.2.1", null), false).status()).isEqualTo(401);
            assertThat(console.handle(get("/api/jobs", "192.0.2.1", "ada"), false).status()).isEqualTo(200);
            assertThat(new String(console.handle(get("/api/session", "192.0.2.1", "ada"), true).body()))
                    .contains("\"user\":\"ada\"");
        }
        assertThat(DashboardAuthenticator.serverPrincipal().authenticate(get("/", "127.0.0.1", null)))
                .isEqualTo(Optional.empty());
    }
}
