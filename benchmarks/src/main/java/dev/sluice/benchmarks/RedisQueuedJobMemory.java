package dev.sluice.benchmarks;

import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Sluice;
import dev.sluice.redis.RedisJobStore;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * Redis memory per queued job of {@link RedisJobStore}: reads {@code INFO memory} {@code used_memory}, queues a
 * million no-op jobs (type "noop", null payload, queue "default", NORMAL) through a producer-only engine in batches
 * of 1,000, reads it again and divides. Then it says where the bytes go: {@code MEMORY USAGE} of a sample of job
 * hashes and of each shared key (the ready set, the id index, the counts), per job. Everything runs under a key
 * prefix of its own ({@code sluice-mem-<random>:}), deleted at the end (SCAN + UNLINK, never FLUSHALL). Not a JMH
 * benchmark: a memory difference needs one quiet reading, not iterations.
 *
 * <p>{@code used_memory} is the whole server's: on a shared Redis, other clients' keys written during the run
 * count too (a few MB against hundreds: noted with the figure).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.sluice.benchmarks.RedisQueuedJobMemory [redis-uri] [jobs]</pre>
 */
public final class RedisQueuedJobMemory {

    private static final String DEFAULT_URI = "redis://127.0.0.1:6379";
    private static final int DEFAULT_JOBS = 1_000_000;
    private static final int BATCH = 1_000;
    private static final int SAMPLE = 200;
    private static final double TARGET_BYTES_PER_JOB = 300;

    private RedisQueuedJobMemory() {
    }

    public static void main(String[] args) throws IOException {
        String uri = args.length > 0 ? args[0] : DEFAULT_URI;
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_JOBS;
        System.out.printf("Redis %s, %,d no-op jobs in batches of %,d; load average %s%n", uri, jobs, BATCH,
                loadAverage());
        try (RedisBenchStore bench = new RedisBenchStore(uri, "sluice-mem-");
             StatefulRedisConnection<String, String> connection = bench.client().connect()) {
            RedisCommands<String, String> redis = connection.sync();
            System.out.println("Redis " + infoField(redis.info("server"), "redis_version") + ", key prefix "
                    + bench.prefix());
            RedisJobStore store = (RedisJobStore) bench.newStore();
            try {
                measure(redis, store, "{" + bench.prefix() + "}", jobs);
            } finally {
                store.close();
            }
        }
        System.out.printf("Keys deleted; load average %s%n", loadAverage());
    }

    private static void measure(RedisCommands<String, String> redis, RedisJobStore store, String base, int jobs) {
        long before = usedMemory(redis);
        long started = System.nanoTime();
        try (Sluice sluice = Sluice.builder().producerOnly(true).store(store).build().start()) {
            List<JobRequest> batch = Collections.nCopies(BATCH, JobRequest.of("noop", null));
            for (int queued = 0; queued < jobs; queued += BATCH) {
                sluice.submitAll(queued + BATCH <= jobs ? batch : batch.subList(0, jobs - queued));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long after = usedMemory(redis);
        long ready = store.stats().total(JobState.READY);
        double perJob = (double) (after - before) / jobs;
        System.out.printf("%n%,d jobs enqueued in %.1f s (%,.0f jobs/s), %,d READY in the store%n", jobs, seconds,
                jobs / seconds, ready);
        System.out.printf("used_memory %,d -> %,d bytes (+%.1f MB)%n", before, after, (after - before) / 1e6);
        System.out.printf("%nbytes per queued job (INFO memory): %.1f (target <= %.0f: %s)%n", perJob,
                TARGET_BYTES_PER_JOB, perJob <= TARGET_BYTES_PER_JOB ? "MET" : "MISSED");
        printWhereTheBytesGo(redis, base, jobs, perJob);
    }

    /** MEMORY USAGE of sampled job hashes and of every shared key of the store, per queued job. */
    private static void printWhereTheBytesGo(RedisCommands<String, String> redis, String base, int jobs,
                                             double perJob) {
        String readyKey = base + "ready:default:1";
        List<ScoredValue<String>> sample = redis.zrangeWithScores(readyKey, 0, SAMPLE - 1);
        long hashBytes = 0;
        for (ScoredValue<String> member : sample) {
            hashBytes += memoryUsage(redis, base + "job:" + member.getValue());
        }
        double perHash = sample.isEmpty() ? 0 : (double) hashBytes / sample.size();
        String jobKey = sample.isEmpty() ? "(none)" : base + "job:" + sample.get(0).getValue();
        System.out.printf("%nwhere the bytes go (MEMORY USAGE ... SAMPLES 0), per queued job:%n");
        System.out.printf("  %-44s %8.1f  (mean of %d job hashes; encoding %s, %d fields, key name %d bytes)%n",
                base + "job:<id>", perHash, sample.size(),
                sample.isEmpty() ? "-" : redis.objectEncoding(jobKey),
                sample.isEmpty() ? 0 : redis.hlen(jobKey), jobKey.length());
        double accounted = perHash;
        for (String suffix : List.of("ready:default:1", "ids", "count:default", "queues")) {
            String key = base + suffix;
            long bytes = memoryUsage(redis, key);
            accounted += (double) bytes / jobs;
            System.out.printf("  %-44s %8.1f  (%,d bytes, %s, %,d members)%n", key, (double) bytes / jobs, bytes,
                    redis.objectEncoding(key), members(redis, key));
        }
        System.out.printf("  %-44s %8.1f  (the keyspace's own table and allocator overhead: INFO minus the above)%n",
                "rest", perJob - accounted);
        if (!sample.isEmpty()) {
            System.out.println("  sample job hash: " + redis.hgetall(jobKey));
        }
    }

    private static long members(RedisCommands<String, String> redis, String key) {
        switch (redis.type(key)) {
            case "zset":
                return redis.zcard(key);
            case "set":
                return redis.scard(key);
            case "hash":
                return redis.hlen(key);
            default:
                return 0;
        }
    }

    private static long memoryUsage(RedisCommands<String, String> redis, String key) {
        // SAMPLES 0: every element is measured (the default samples 5 nested values of a collection)
        Long reply = redis.dispatch(CommandType.MEMORY, new IntegerOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("USAGE").addKey(key).add("SAMPLES").add(0));
        return reply == null ? 0 : reply;
    }

    private static long usedMemory(RedisCommands<String, String> redis) {
        return Long.parseLong(infoField(redis.info("memory"), "used_memory"));
    }

    private static String infoField(String info, String field) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        throw new IllegalStateException("INFO has no field " + field);
    }

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }
}
