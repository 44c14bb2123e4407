package dev.sluice.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.ops.RetentionPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.sluice.dashboard.TestConsole.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API's operations over {@code SluiceAdmin}: bulk job actions with per-id outcomes, queue drains, flushes, the
 * cluster view, nodes with the leader, recurring schedules and the audit trail on the job page; over HTTP against a
 * real engine on the in-memory store.
 */
class DashboardOperationsApiTest {

    private static TestConsole console;

    @BeforeAll
    static void start() {
        console = new TestConsole();
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return console.session().post(path, body);
    }

    private static String ids(Object... ids) {
        return "[" + Arrays.stream(ids).map(id -> "\"" + id + "\"").collect(Collectors.joining(",")) + "]";
    }

    private static List<String> outcomes(JsonNode answer) {
        List<String> outcomes = new ArrayList<>();
        answer.get("results").forEach(r -> outcomes.add(r.get("outcome").asText()));
        return outcomes;
    }

    @Test
    void bulkCancelAnswersOneOutcomePerIdInOrder() throws Exception {
        JobId first = console.parked("echo", "bulk 1");
        JobId second = console.parked("echo", "bulk 2");
        JobId dead = console.dead("bulk dead");
        JobId unknown = JobId.next();

        HttpResponse<String> response = post("api/jobs/cancel",
                "{\"ids\": " + ids(first, second, dead, unknown, first) + "}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = json(response);
        assertThat(answer.get("action").asText()).isEqualTo("cancel");
        assertThat(answer.get("results").findValuesAsText("id"))
                .containsExactly(first.toString(), second.toString(), dead.toString(), unknown.toString());
        assertThat(outcomes(answer)).containsExactly("DONE", "DONE", "REFUSED", "NOT_FOUND");
        assertThat(answer.get("results").get(0).get("state").asText()).isEqualTo("CANCELLED");
        assertThat(answer.get("results").get(2).get("state").asText()).isEqualTo("DEAD");
        assertThat(answer.get("results").get(3).get("state").isNull()).isTrue();
        assertThat(answer.get("counts").get("DONE").asInt()).isEqualTo(2);
        assertThat(answer.get("counts").get("NOT_FOUND").asInt()).isEqualTo(1);
        assertThat(console.sluice.find(second).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void bulkRetryPutsDeadJobsBackAndRefusesTheOthers() throws Exception {
        JobId deadOne = console.dead("retry 1");
        JobId deadTwo = console.dead("retry 2");
        JobId waiting = console.parked("echo", "not dead");
        console.failing.set(false);
        try {
            JsonNode answer = json(post("api/jobs/retry", "{\"ids\": " + ids(deadOne, deadTwo, waiting) + "}"));

            assertThat(outcomes(answer)).containsExactly("DONE", "DONE", "REFUSED");
            console.awaitState(deadOne, JobState.SUCCEEDED);
            console.awaitState(deadTwo, JobState.SUCCEEDED);
        } finally {
            console.failing.set(true);
        }
    }

    @Test
    void bulkReprioritizeChangesWaitingJobs() throws Exception {
        JobId first = console.parked("echo", "up 1");
        JobId second = console.parked("echo", "up 2");

        JsonNode answer = json(post("api/jobs/reprioritize",
                "{\"ids\": " + ids(first, second) + ", \"priority\": \"critical\"}"));

        assertThat(outcomes(answer)).containsExactly("DONE", "DONE");
        assertThat(console.sluice.find(first).orElseThrow().priority()).isEqualTo(Priority.CRITICAL);
        assertThat(console.sluice.find(second).orElseThrow().priority()).isEqualTo(Priority.CRITICAL);
    }

    @Test
    void badBulkBodiesAreRefusedWithTheValueNamed() throws Exception {
        JobId id = console.parked("echo", "stays");
        String tooMany = ids(IntStream.range(0, 501).mapToObj(i -> JobId.next()).toArray());

        HttpResponse<String> noIds = post("api/jobs/cancel", "{}");
        HttpResponse<String> empty = post("api/jobs/cancel", "{\"ids\": []}");
        HttpResponse<String> badId = post("api/jobs/cancel", "{\"ids\": " + ids(id, "not-a-job") + "}");
        HttpResponse<String> number = post("api/jobs/cancel", "{\"ids\": [42]}");
        HttpResponse<String> over = post("api/jobs/cancel", "{\"ids\": " + tooMany + "}");
        HttpResponse<String> priority = post("api/jobs/reprioritize", "{\"ids\": " + ids(id) + ", \"priority\": \"ASAP\"}");

        for (HttpResponse<String> refused : List.of(noIds, empty, badId, number, over, priority)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        }
        assertThat(json(badId).get("error").asText()).contains("not-a-job");
        assertThat(json(number).get("error").asText()).contains("42");
        assertThat(json(over).get("error").asText()).contains("501");
        assertThat(json(priority).get("error").asText()).contains("'ASAP'");
        // The bad id came second: nothing was changed before the list was checked.
        assertThat(console.sluice.find(id).orElseThrow().state()).isEqualTo(JobState.READY);
    }

    @Test
    void singleJobActionsAnswer404ForAnUnknownJobAnd409ForARefusal() throws Exception {
        JobId dead = console.dead("single");

        HttpResponse<String> unknown = post("api/jobs/" + JobId.next() + "/cancel", "{}");
        HttpResponse<String> refused = post("api/jobs/" + dead + "/cancel", "{}");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(json(refused).get("error").asText()).contains(dead.toString()).contains("DEAD");
    }

    @Test
    void drainCancelsTheQueuesUnstartedJobsOnlyWhenConfirmedByName() throws Exception {
        console.sluice.pauseQueue("drainable");
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(JobRequest.builder("echo").queue("drainable").payload("drain " + i).build());
        }
        List<JobId> jobs = console.sluice.submitAll(requests);

        HttpResponse<String> unconfirmed = post("api/queues/drainable/drain", "{}");
        HttpResponse<String> wrongName = post("api/queues/drainable/drain", "{\"confirm\": \"parked\"}");
        assertThat(unconfirmed.statusCode()).isEqualTo(400);
        assertThat(wrongName.statusCode()).isEqualTo(400);
        assertThat(json(wrongName).get("error").asText()).contains("'parked'");
        assertThat(console.sluice.find(jobs.get(0)).orElseThrow().state()).isEqualTo(JobState.READY);

        HttpResponse<String> drained = post("api/queues/drainable/drain", "{\"confirm\": \"drainable\"}");

        assertThat(drained.statusCode()).isEqualTo(200);
        assertThat(json(drained).get("cancelled").asInt()).isEqualTo(3);
        for (JobId id : jobs) {
            assertThat(console.sluice.find(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        }
    }

    @Test
    void purgeDeletesFinishedJobsByTheEnginesRetentionPolicy() throws Exception {
        RetentionPolicy keepNothing = RetentionPolicy.builder().finishedFor(Duration.ZERO).keepNewestPerType(0)
                .interval(Duration.ofHours(1)).build();
        try (TestConsole purging = new TestConsole(b -> b, o -> o.retention(keepNothing))) {
            List<JobId> done = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                done.add(purging.sluice.submit("echo", "finished " + i));
            }
            JobId waiting = purging.parked("echo", "unfinished");
            done.forEach(id -> purging.awaitState(id, JobState.SUCCEEDED));
            ApiSession session = purging.session();

            List<Integer> deleted = new ArrayList<>();
            // A job that finished in this very millisecond is not older than "now - 0" yet: purge until it is.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                JsonNode report = json(session.post("api/purge", "{}"));
                deleted.add(report.get("total").asInt());
                assertThat(report.get("total").asInt())
                        .isEqualTo(report.get("finished").asInt() + report.get("dead").asInt());
                return done.stream().allMatch(id -> purging.sluice.find(id).isEmpty());
            });

            assertThat(deleted.stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(3);
            assertThat(purging.get("api/jobs/" + done.get(0)).statusCode()).isEqualTo(404);
            assertThat(purging.sluice.find(waiting).orElseThrow().state()).isEqualTo(JobState.READY);
        }
    }

    @Test
    void flushWritesPendingWorkAndRefusesABadTimeout() throws Exception {
        HttpResponse<String> flushed = post("api/flush", "{\"timeoutMillis\": 2000}");
        HttpResponse<String> defaults = post("api/flush", "");
        HttpResponse<String> tooLong = post("api/flush", "{\"timeoutMillis\": 600000}");
        HttpResponse<String> text = post("api/flush", "{\"timeoutMillis\": \"soon\"}");

        assertThat(flushed.statusCode()).isEqualTo(200);
        assertThat(json(flushed).get("flushed").asBoolean()).isTrue();
        assertThat(json(defaults).get("timeoutMillis").asLong()).isEqualTo(5000);
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json(tooLong).get("error").asText()).contains("600000");
        assertThat(text.statusCode()).isEqualTo(400);
        assertThat(json(text).get("error").asText()).contains("soon");
    }

    @Test
    void clusterShowsTheLeaderAndQueuesWithDepth() throws Exception {
        console.parked("echo", "depth");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode cluster = json(console.get("api/cluster"));
            assertThat(cluster.get("leader").get("nodeId").asText()).isEqualTo(console.sluice.nodeId());
            assertThat(cluster.get("thisNodeLeads").asBoolean()).isTrue();
        });
        JsonNode cluster = json(console.get("api/cluster"));
        JsonNode parked = null;
        for (JsonNode queue : cluster.get("queues")) {
            if (queue.get("name").asText().equals(TestConsole.PARKED)) {
                parked = queue;
            }
        }
        assertThat(parked).isNotNull();
        assertThat(parked.get("paused").asBoolean()).isTrue();
        assertThat(parked.get("depth").asLong()).isPositive();
        assertThat(parked.has("submittedPerSecond")).isTrue();
        assertThat(cluster.get("leader").get("fencingToken").asLong()).isPositive();
    }

    @Test
    void nodesShowTheLeaderAndEachNodesHeartbeat() throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode view = json(console.get("api/nodes"));
            assertThat(view.get("leader").get("nodeId").asText()).isEqualTo(console.sluice.nodeId());
            JsonNode self = view.get("nodes").get(0);
            assertThat(self.get("nodeId").asText()).isEqualTo(console.sluice.nodeId());
            assertThat(self.get("leader").asBoolean()).isTrue();
            assertThat(self.get("lastSeen").isNull()).isFalse();
            assertThat(self.get("workers").asInt()).isPositive();
        });
    }

    @Test
    void recurringSchedulesShowZoneAndNextFire() throws Exception {
        JsonNode schedules = json(console.get("api/recurring"));

        assertThat(schedules.findValuesAsText("id")).containsExactlyInAnyOrder("nightly-report", "hourly-sync");
        for (JsonNode schedule : schedules) {
            assertThat(schedule.get("nextFire").isNull()).isFalse();
            if (schedule.get("id").asText().equals("nightly-report")) {
                assertThat(schedule.get("zone").asText()).isEqualTo("Europe/Paris");
                assertThat(schedule.get("schedule").asText()).contains("0 2 * * *");
            } else {
                assertThat(schedule.get("zone").isNull()).isTrue();
            }
        }
    }

    @Test
    void jobDetailCarriesTheAuditTrail() throws Exception {
        JobId id = console.sluice.submit("echo", "audited");
        console.awaitState(id, JobState.SUCCEEDED);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode history = json(console.get("api/jobs/" + id)).get("history");
            assertThat(history.findValuesAsText("to")).containsSubsequence("READY", "RUNNING", "SUCCEEDED");
            JsonNode last = history.get(history.size() - 1);
            assertThat(last.get("from").asText()).isEqualTo("RUNNING");
            assertThat(last.get("node").asText()).isEqualTo(console.sluice.nodeId());
            assertThat(last.get("attempt").asInt()).isEqualTo(1);
            assertThat(last.get("at").asText()).isNotEmpty();
        });
    }
}
