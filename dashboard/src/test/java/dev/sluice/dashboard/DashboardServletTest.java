package dev.sluice.dashboard;

import dev.sluice.JobId;
import dev.sluice.JobState;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link DashboardServlet} mounted under a context and servlet path in a real Jetty 12 container. */
class DashboardServletTest {

    private static TestConsole console;
    private static Server jetty;
    private static URI root;
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        console = new TestConsole();
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/app");
        context.addServlet(new ServletHolder(new DashboardServlet(console.sluice, DashboardConfig.defaults())),
                "/sluice/*");
        jetty.setHandler(context);
        jetty.start();
        root = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/app/sluice/");
    }

    @AfterAll
    static void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
        console.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(root.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAndTheApiBelowItsMapping() throws Exception {
        HttpResponse<String> bare = HTTP.send(HttpRequest.newBuilder(URI.create(root.toString()
                .replaceAll("/$", ""))).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> page = get("");
        HttpResponse<String> script = get("ui/app.js");
        HttpResponse<String> jobs = get("api/jobs?state=READY");

        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location").orElseThrow()).endsWith("/app/sluice/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("ui/app.js");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
        assertThat(script.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        assertThat(jobs.statusCode()).isEqualTo(200);
        assertThat(jobs.body()).contains("\"jobs\"");
    }

    @Test
    void changesNeedTheSessionsCsrfTokenAsOnTheJdkServer() throws Exception {
        JobId id = console.parked("echo", "servlet");
        ApiSession session = ApiSession.open(HTTP, root);

        HttpResponse<String> forged = session.post("api/jobs/" + id + "/cancel", "{}", "Content-Type",
                "application/json", "Cookie", session.cookie(), "Origin", session.origin());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(console.sluice.find(id).orElseThrow().state()).isEqualTo(JobState.READY);

        HttpResponse<String> cancelled = session.post("api/jobs/" + id + "/cancel", "{}");
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(console.sluice.find(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
    }
}
