package dev.sluice.dashboard;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Priority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every call that changes something — single and bulk job actions, queue pause, resume and drain, purge, flush —
 * is refused without the session's CSRF token and in read-only mode, and then changes nothing.
 */
class DashboardChangeGuardsTest {

    /** A change: its path and body, with {@code ID} for a READY job of the paused queue {@code guarded}. */
    record Change(String path, String body) {

        String path(JobId id) {
            return path.replace("ID", id.toString());
        }

        String body(JobId id) {
            return body.replace("ID", id.toString());
        }

        @Override
        public String toString() {
            return "POST " + path;
        }
    }

    private static TestConsole writable;
    private static TestConsole readOnly;

    @BeforeAll
    static void start() {
        writable = new TestConsole();
        readOnly = new TestConsole(b -> b.readOnly(true));
        writable.sluice.pauseQueue("guarded");
        readOnly.sluice.pauseQueue("guarded");
    }

    @AfterAll
    static void stop() {
        writable.close();
        readOnly.close();
    }

    static List<Change> changes() {
        return List.of(
                new Change("api/jobs/ID/cancel", "{}"),
                new Change("api/jobs/ID/retry", "{}"),
                new Change("api/jobs/ID/reprioritize", "{\"priority\": \"HIGH\"}"),
                new Change("api/jobs/cancel", "{\"ids\": [\"ID\"]}"),
                new Change("api/jobs/retry", "{\"ids\": [\"ID\"]}"),
                new Change("api/jobs/reprioritize", "{\"ids\": [\"ID\"], \"priority\": \"HIGH\"}"),
                new Change("api/queues/guarded/pause", "{}"),
                new Change("api/queues/guarded/resume", "{}"),
                new Change("api/queues/guarded/drain", "{\"confirm\": \"guarded\"}"),
                new Change("api/purge", "{}"),
                new Change("api/flush", "{}"));
    }

    private static JobId guardedJob(TestConsole console) {
        return console.sluice.submit(JobRequest.builder("echo").queue("guarded").payload("keep").build());
    }

    private static void assertUnchanged(TestConsole console, JobId id) {
        assertThat(console.sluice.find(id).orElseThrow().state()).isEqualTo(JobState.READY);
        assertThat(console.sluice.find(id).orElseThrow().priority()).isEqualTo(Priority.NORMAL);
        assertThat(console.store.pausedQueues()).contains("guarded");
    }

    @ParameterizedTest
    @MethodSource("changes")
    void refusedWithoutTheCsrfToken(Change change) throws Exception {
        JobId id = guardedJob(writable);
        ApiSession session = writable.session();

        HttpResponse<String> response = session.post(change.path(id), change.body(id), "Content-Type",
                "application/json", "Cookie", session.cookie(), "Origin", session.origin());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("X-Sluice-Csrf");
        assertUnchanged(writable, id);
    }

    @ParameterizedTest
    @MethodSource("changes")
    void refusedInReadOnlyModeEvenWithCsrfProof(Change change) throws Exception {
        JobId id = guardedJob(readOnly);
        ApiSession session = readOnly.session();

        HttpResponse<String> response = session.post(change.path(id), change.body(id));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("read-only");
        assertUnchanged(readOnly, id);
    }

    @ParameterizedTest
    @MethodSource("changes")
    void acceptedWithCsrfProof(Change change) throws Exception {
        // The control: the same request with the token is not refused, so the refusals above are the guards'.
        JobId id = guardedJob(writable);
        ApiSession session = writable.session();

        HttpResponse<String> response = session.post(change.path(id), change.body(id));

        assertThat(response.statusCode()).as(response.body()).isIn(200, 409);
        writable.sluice.pauseQueue("guarded");
    }
}
