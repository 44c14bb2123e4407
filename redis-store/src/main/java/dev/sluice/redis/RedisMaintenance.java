package dev.sluice.redis;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.store.HistoryEntry;
import dev.sluice.store.PurgeRequest;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** The operator side of {@link RedisJobStore}: cancelling a queue's waiting jobs, purging, the audit trail. */
final class RedisMaintenance {

    /**
     * cancel_waiting.lua reads a set of the queue whole up to this size, which makes its choice exact by id; a
     * larger set gives its head. Reading and sorting 6 × 1,000 ids costs about a millisecond of Redis time.
     */
    static final int CANCEL_EXACT_UP_TO = 1_000;

    private final RedisClusterCommands<byte[], byte[]> redis;
    private final ScriptRunner scripts;
    private final Clock clock;
    private final int retainFinished;
    private final Function<JobId, byte[]> historyKey;

    RedisMaintenance(RedisClusterCommands<byte[], byte[]> redis, ScriptRunner scripts, Clock clock, int retainFinished,
                     Function<JobId, byte[]> historyKey) {
        this.redis = redis;
        this.scripts = scripts;
        this.clock = clock;
        this.retainFinished = retainFinished;
        this.historyKey = historyKey;
    }

    int cancelWaiting(String queue, int max) {
        Objects.requireNonNull(queue, "queue");
        if (max < 0) {
            throw new IllegalArgumentException("max must be >= 0 but was " + max + " (queue '" + queue + "')");
        }
        if (max == 0) {
            return 0;
        }
        return Replies.toInt(scripts.runScalar(Script.CANCEL_WAITING, new Args(5).now(clock).add(retainFinished)
                .add(queue).add(max).add(CANCEL_EXACT_UP_TO).toArray()));
    }

    int purge(PurgeRequest request) {
        Objects.requireNonNull(request, "request");
        Args args = new Args(4 + request.states().size()).add(request.limit()).add(request.keepNewestPerType())
                .add(request.finishedBefore() == null ? "" : Long.toString(request.finishedBefore().toEpochMilli()))
                .add(request.states().size());
        for (JobState state : request.states()) {
            args.add(state.name());
        }
        return Replies.toInt(scripts.runScalar(Script.PURGE, args.toArray()));
    }

    void appendHistory(List<HistoryEntry> entries) {
        int n = entries.size();
        if (n == 0) {
            return;
        }
        Args args = new Args(1 + 2 * n).add(n);
        for (HistoryEntry entry : entries) {
            Objects.requireNonNull(entry, "null entry in the history list");
            args.add(entry.id().toString()).add(PackedText.pack(entry.at().toEpochMilli(),
                    entry.from() == null ? null : entry.from().name(), entry.to().name(), entry.attempt(),
                    entry.node(), entry.error()));
        }
        scripts.run(Script.HISTORY, args.toArray());
    }

    List<HistoryEntry> history(JobId id) {
        Objects.requireNonNull(id, "id");
        List<byte[]> stored = redis.lrange(historyKey.apply(id), 0, -1);
        List<HistoryEntry> entries = new ArrayList<>(stored.size());
        for (byte[] packed : stored) {
            List<String> f = PackedText.unpack(new String(packed, StandardCharsets.UTF_8));
            entries.add(new HistoryEntry(id, Instant.ofEpochMilli(Long.parseLong(f.get(0))),
                    f.get(1) == null ? null : JobState.valueOf(f.get(1)), JobState.valueOf(f.get(2)),
                    Integer.parseInt(f.get(3)), f.get(4), f.get(5)));
        }
        return List.copyOf(entries);
    }
}
