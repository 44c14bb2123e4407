package dev.sluice.redis;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.StoreCapacityExceededException;
import dev.sluice.store.ClaimRequest;
import dev.sluice.store.ClaimedJob;
import dev.sluice.store.Completion;
import dev.sluice.store.NewJob;
import dev.sluice.store.PurgeRequest;
import dev.sluice.store.QueueClaim;
import dev.sluice.store.WriteResult;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Redis of its own with a small {@code maxmemory} and {@code noeviction}: once it is full, an enqueue is refused
 * whole with an error that says what to do, and nothing of it is written; the work already stored can still be
 * claimed, completed and purged, which frees memory, after which enqueues are accepted again.
 */
class OutOfMemoryTest {

    private static final int PAYLOAD = 1_024;
    private static final int BATCH = 100;

    private final RedisServerProcess server = RedisServerProcess.start("--maxmemory", "4mb",
            "--maxmemory-policy", "noeviction");
    private final RedisClient client = RedisClient.create(server.uri());
    private final RedisJobStore store = RedisJobStore.builder().client(client).keyPrefix("full:").retainFinished(0)
            .build();

    @AfterEach
    void stop() {
        store.close();
        client.shutdown();
        server.close();
    }

    private static List<NewJob> batch() {
        List<NewJob> jobs = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            jobs.add(new NewJob(JobId.next(), "bulky", "default", Priority.NORMAL, new byte[PAYLOAD], 0, 1, 0,
                    null, null, System.currentTimeMillis()));
        }
        return jobs;
    }

    private static List<JobId> ids(List<NewJob> jobs) {
        return jobs.stream().map(NewJob::id).toList();
    }

    @Test
    void aFullRedisRefusesEnqueuesWholeYetLetsStoredWorkDrainAndBePurged() {
        List<JobId> stored = new ArrayList<>();
        List<NewJob> refused = null;
        for (int i = 0; i < 200 && refused == null; i++) {
            List<NewJob> jobs = batch();
            try {
                store.enqueue(jobs);
                stored.addAll(ids(jobs));
            } catch (StoreCapacityExceededException e) {
                assertThat(e).hasMessageContaining("maxmemory").hasMessageContaining("nothing was stored")
                        .hasMessageContaining("enqueue");
                refused = jobs;
            }
        }
        assertThat(refused).as("an enqueue refused for memory").isNotNull();
        assertThat(stored).isNotEmpty();
        assertThat(store.findAll(ids(refused))).as("jobs of the refused enqueue").isEmpty();
        assertThat(store.stats().total(JobState.READY)).isEqualTo(stored.size());
        List<NewJob> again = batch();
        assertThatThrownBy(() -> store.enqueue(again)).isInstanceOf(StoreCapacityExceededException.class);

        // the queue drains: claims and completions still run, and finished jobs go (retention 0, then a purge)
        List<ClaimedJob> claimed = store.claim(new ClaimRequest("node", 30_000, stored.size(),
                List.of(new QueueClaim("default", stored.size(), Integer.MAX_VALUE, Map.of())))).jobs();
        assertThat(claimed).hasSize(stored.size());
        List<Completion> completions = new ArrayList<>();
        for (int i = 0; i < claimed.size(); i++) {
            ClaimedJob job = claimed.get(i);
            completions.add(i % 2 == 0 ? Completion.succeeded(job.id(), job.fencingToken(), null)
                    : Completion.dead(job.id(), job.fencingToken(), "boom"));
        }
        assertThat(store.completeAll(completions)).containsOnly(WriteResult.ACCEPTED);
        assertThat(store.purge(new PurgeRequest(EnumSet.of(JobState.DEAD), null, 0, 100_000)))
                .isEqualTo(stored.size() / 2);

        store.enqueue(again);
        assertThat(store.findAll(ids(again))).hasSize(BATCH);
    }
}
