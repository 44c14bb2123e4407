package dev.sluice.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Priority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.sluice.dashboard.TestConsole.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The JSON API and its security rules, over HTTP against a real engine on the in-memory store. */
class DashboardApiTest {

    private static TestConsole console;

    @BeforeAll
    static void start() {
        console = new TestConsole();
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    private static ApiSession session() throws Exception {
        return console.session();
    }

    private static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        return session().post(path, body, headers);
    }

    private static HttpResponse<String> postAs(ApiSession session, String path, String body) throws Exception {
        return session.post(path, body);
    }

    @Test
    void sessionCookieIsHttpOnlyAndSameSiteStrict() throws Exception {
        HttpResponse<String> response = console.get("api/session");

        assertThat(response.headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith("sluice_session=").contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        assertThat(json(response).get("csrfToken").asText()).hasSizeGreaterThan(40);
        assertThat(json(response).get("readOnly").asBoolean()).isFalse();
    }

    @Test
    void everyResponseCarriesASecurityPolicyWithoutInlineScripts() throws Exception {
        for (String path : List.of("", "ui/app.js", "api/overview", "api/jobs/not-an-id", "nowhere")) {
            HttpResponse<String> response = console.get(path);
            String csp = response.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).contains("default-src 'none'").contains("script-src 'self'")
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        }
    }

    @Test
    void pagesThroughJobsByKeysetWithoutGapsOrRepeats() throws Exception {
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            requests.add(JobRequest.builder("echo").queue("paging").payload("job " + i).build());
        }
        console.sluice.pauseQueue("paging");
        List<JobId> submitted = console.sluice.submitAll(requests);

        List<String> seen = new ArrayList<>();
        String after = "";
        int pages = 0;
        do {
            JsonNode page = json(console.get("api/jobs?queue=paging&state=READY&limit=50&after=" + after));
            page.get("jobs").forEach(job -> seen.add(job.get("id").asText()));
            after = page.get("nextAfter").isNull() ? null : page.get("nextAfter").asText();
            pages++;
        } while (after != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(submitted.stream().map(JobId::toString).toList());
    }

    @Test
    void filtersJobsByStateQueueAndType() throws Exception {
        JobId parked = console.parked("echo", "filter me");
        JobId dead = console.dead("filter dead");

        JsonNode readyEcho = json(console.get("api/jobs?state=ready&queue=parked&type=echo&limit=500"));
        JsonNode deadFlaky = json(console.get("api/jobs?state=DEAD&type=flaky"));

        assertThat(ids(readyEcho)).contains(parked.toString()).doesNotContain(dead.toString());
        assertThat(ids(deadFlaky)).contains(dead.toString()).doesNotContain(parked.toString());
        readyEcho.get("jobs").forEach(j -> assertThat(j.get("state").asText()).isEqualTo("READY"));
    }

    private static Set<String> ids(JsonNode page) {
        Set<String> ids = new HashSet<>();
        page.get("jobs").forEach(j -> ids.add(j.get("id").asText()));
        return ids;
    }

    @Test
    void badQueryValuesAreRefusedWithTheValueNamed() throws Exception {
        HttpResponse<String> state = console.get("api/jobs?state=EXPLODED");
        HttpResponse<String> limit = console.get("api/jobs?limit=100000");
        HttpResponse<String> queue = console.get("api/jobs?queue=Not%20A%20Queue");
        HttpResponse<String> id = console.get("api/jobs/12345");

        assertThat(state.statusCode()).isEqualTo(400);
        assertThat(json(state).get("error").asText()).contains("'EXPLODED'");
        assertThat(limit.statusCode()).isEqualTo(400);
        assertThat(json(limit).get("error").asText()).contains("'100000'");
        assertThat(queue.statusCode()).isEqualTo(400);
        assertThat(json(queue).get("error").asText()).contains("Not A Queue");
        assertThat(id.statusCode()).isEqualTo(400);
        assertThat(json(id).get("error").asText()).contains("12345");
        assertThat(console.get("api/jobs/" + JobId.next()).statusCode()).isEqualTo(404);
    }

    @Test
    void jobDetailReturnsAHostilePayloadAsJsonTextNotMarkup() throws Exception {
        String hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>";
        JobId id = console.parked("echo", hostile);

        HttpResponse<String> response = console.get("api/jobs/" + id);

        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode detail = json(response);
        assertThat(detail.get("payload").get("text").asText()).isEqualTo(hostile);
        assertThat(detail.get("payload").get("encoding").asText()).isEqualTo("utf-8");
        assertThat(detail.get("job").get("state").asText()).isEqualTo("READY");
    }

    @Test
    void changeWithoutCsrfTokenIsRefused() throws Exception {
        ApiSession session = session();
        JobId id = console.parked("echo", "csrf");

        HttpResponse<String> noToken = post("api/jobs/" + id + "/cancel", "{}", "Content-Type", "application/json",
                "Cookie", session.cookie(), "Origin", console.origin());
        HttpResponse<String> wrongToken = post("api/jobs/" + id + "/cancel", "{}", "Content-Type",
                "application/json", "Cookie", session.cookie(), "Origin", console.origin(),
                "X-Sluice-Csrf", session.token() + "x");
        HttpResponse<String> noCookie = post("api/jobs/" + id + "/cancel", "{}", "Content-Type", "application/json",
                "Origin", console.origin(), "X-Sluice-Csrf", session.token());
        HttpResponse<String> otherSessionsToken = post("api/jobs/" + id + "/cancel", "{}", "Content-Type",
                "application/json", "Cookie", session().cookie(), "Origin", console.origin(),
                "X-Sluice-Csrf", session.token());

        for (HttpResponse<String> refused : List.of(noToken, wrongToken, noCookie, otherSessionsToken)) {
            assertThat(refused.statusCode()).isEqualTo(403);
        }
        assertThat(json(noToken).get("error").asText()).contains("X-Sluice-Csrf");
        assertThat(console.sluice.find(id).orElseThrow().state()).isEqualTo(JobState.READY);
    }

    @Test
    void changeFromAnotherOriginOrWithoutOriginIsRefused() throws Exception {
        ApiSession session = session();
        JobId id = console.parked("echo", "origin");

        HttpResponse<String> foreign = post("api/jobs/" + id + "/cancel", "{}", "Content-Type", "application/json",
                "Cookie", session.cookie(), "X-Sluice-Csrf", session.token(), "Origin", "http://evil.example");
        HttpResponse<String> none = post("api/jobs/" + id + "/cancel", "{}", "Content-Type", "application/json",
                "Cookie", session.cookie(), "X-Sluice-Csrf", session.token());

        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(json(foreign).get("error").asText()).contains("http://evil.example");
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(console.sluice.find(id).orElseThrow().state()).isEqualTo(JobState.READY);
    }

    @Test
    void cancelsAJobWithCsrfProof() throws Exception {
        JobId id = console.parked("echo", "cancel me");

        HttpResponse<String> response = postAs(session(), "api/jobs/" + id + "/cancel", "{}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("job").get("state").asText()).isEqualTo("CANCELLED");
        assertThat(console.sluice.find(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(postAs(session(), "api/jobs/" + id + "/cancel", "{}").statusCode()).isEqualTo(409);
    }

    @Test
    void retriesADeadJobUntilItSucceeds() throws Exception {
        JobId id = console.dead("retry me");
        console.failing.set(false);
        try {
            HttpResponse<String> response = postAs(session(), "api/jobs/" + id + "/retry", "{}");

            assertThat(response.statusCode()).isEqualTo(200);
            console.awaitState(id, JobState.SUCCEEDED);
        } finally {
            console.failing.set(true);
        }
    }

    @Test
    void reprioritizesAWaitingJobAndRefusesAnUnknownPriority() throws Exception {
        JobId id = console.parked("echo", "urgent");
        ApiSession session = session();

        HttpResponse<String> ok = postAs(session, "api/jobs/" + id + "/reprioritize", "{\"priority\":\"critical\"}");
        HttpResponse<String> bad = postAs(session, "api/jobs/" + id + "/reprioritize", "{\"priority\":\"URGENT\"}");
        HttpResponse<String> notJson = postAs(session, "api/jobs/" + id + "/reprioritize", "URGENT");

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(console.sluice.find(id).orElseThrow().priority()).isEqualTo(Priority.CRITICAL);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).contains("'URGENT'");
        assertThat(notJson.statusCode()).isEqualTo(400);
    }

    @Test
    void pausesAndResumesAQueue() throws Exception {
        ApiSession session = session();

        assertThat(postAs(session, "api/queues/pausable/pause", "{}").statusCode()).isEqualTo(200);
        assertThat(console.store.pausedQueues()).contains("pausable");
        assertThat(postAs(session, "api/queues/pausable/resume", "{}").statusCode()).isEqualTo(200);
        assertThat(console.store.pausedQueues()).doesNotContain("pausable");
        assertThat(postAs(session, "api/queues/BAD%20NAME/pause", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void onlyGetHeadAndPostAreAnswered() throws Exception {
        HttpResponse<String> put = console.http.send(HttpRequest.newBuilder(console.uri("api/jobs"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> postToPage = postAs(session(), "", "{}");

        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(postToPage.statusCode()).isEqualTo(405);
    }

    @Test
    void overviewChartsFillWithThroughputSamples() throws Exception {
        for (int i = 0; i < 20; i++) {
            console.sluice.submit("echo", "sample " + i);
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode samples = json(console.get("api/overview")).get("series").get("samples");
            double succeeded = 0;
            for (JsonNode s : samples) {
                succeeded += s.get("succeededPerSecond").asDouble();
            }
            assertThat(succeeded).isPositive();
        });
        JsonNode overview = json(console.get("api/overview")).get("overview");
        assertThat(overview.get("health").get("status").asText()).isIn("UP", "DEGRADED", "DOWN");
        assertThat(overview.get("totals").get("SUCCEEDED").asLong()).isPositive();
        assertThat(overview.get("queues").findValuesAsText("name")).contains("default", "parked");
    }

    @Test
    void showsABatchRunWithItsProgressWhileItRuns() throws Exception {
        JobId id = console.sluice.submit("progress", "import.csv");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode runs = json(console.get("api/batches"));
            assertThat(runs.findValuesAsText("id")).contains(id.toString());
            for (JsonNode run : runs) {
                if (run.get("id").asText().equals(id.toString())) {
                    assertThat(run.get("progress").asDouble()).isEqualTo(0.25);
                    assertThat(run.get("state").asText()).isEqualTo("RUNNING");
                }
            }
        });
    }

    @Test
    void listsThisNodeAndItsAlertsAndHealth() throws Exception {
        JsonNode nodes = json(console.get("api/nodes"));
        HttpResponse<String> alerts = console.get("api/alerts");
        JsonNode health = json(console.get("api/health"));

        assertThat(nodes.get("nodes").findValuesAsText("nodeId")).contains(console.sluice.nodeId());
        assertThat(alerts.statusCode()).isEqualTo(200);
        assertThat(json(alerts).isArray()).isTrue();
        assertThat(health.get("checks").findValuesAsText("name")).contains("store", "queue-depth");
    }
}
